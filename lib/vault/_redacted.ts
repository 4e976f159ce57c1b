/** What stands for a credential value wherever one would be printed. */
export const REDACTED_TEXT = "[redacted]";
