/** Raised when data found or fetched for a hash hashes to something else: never evaluated, never cached. */
export class FrameHashMismatchError extends Error {
  override name = "FrameHashMismatchError";
}
