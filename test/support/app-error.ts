import { AppError } from '../../src/domain/errors.js';

/** The AppError a call throws; fails the test if it returns or throws anything else. */
export function appErrorFrom(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the call to be rejected with an AppError');
}
