/** Raised when Redis cannot be reached: the message is the one line a command prints (exit 2). */
export class RedisUnreachableError extends Error {
  override name = "RedisUnreachableError";
}
