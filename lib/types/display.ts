/**
 * The symbol Deno's Jupyter kernel looks for: an object with a method under this key displays
 * itself with the mimebundle the method returns (`text/html`, `image/svg+xml`, `text/plain`).
 */
export const JUPYTER_DISPLAY: unique symbol = Symbol.for("Jupyter.display") as typeof JUPYTER_DISPLAY;

/** A Jupyter mimebundle: mimetype to content. */
export type MimeBundle = Record<string, string>;
