/** An anchor a user kept by hand: `POSITION:HASH`, as `verify --json` prints `head`. No imports: the CLI parses it up front. */
export interface UserAnchor {
  position: number;
  hash: string;
}

/** The anchor, or undefined when the text is not POSITION:HASH (64 lowercase hex digits). */
export function parseUserAnchor(text: string): UserAnchor | undefined {
  const m = /^(\d{1,15}):([0-9a-f]{64})$/.exec(text.trim());
  return m ? { position: Number(m[1]), hash: m[2]! } : undefined;
}
