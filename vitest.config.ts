import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// esbuild (Vite's default) emits no decorator metadata, which type-graphql and MikroORM read; SWC does.
export default defineConfig({
  plugins: [swc.vite({ jsc: { target: 'es2023', parser: { syntax: 'typescript', decorators: true }, transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false } } })],
  // graphql ships CJS (main) and ESM (module) builds; Node loads the CJS one for our dependencies
  // (type-graphql, Apollo), so code Vite transforms must use that same copy or schemas mix realms.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
