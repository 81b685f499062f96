/** Shared by the server child processes: report the URL to the parent, stop on request or when orphaned. */
export async function serveForParent(server: { url: string; close(): Promise<void> }): Promise<void> {
  process.send?.({ url: server.url });
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.on('message', (message) => message === 'stop' && void stop());
  process.on('disconnect', () => void stop());
}
