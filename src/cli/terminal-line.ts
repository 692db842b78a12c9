// Text from files (an archive's entry names, a CSV's values, a rule's title) reaches the terminal inside error lines.
// A line break in it would forge a `hint:` line, an escape sequence would recolour or rewrite the terminal: control
// characters are shown as escapes instead, so an error stays one line of plain text.

/** C0 controls, DEL and C1 controls (ESC starts terminal sequences; 0x9B is the one-byte CSI). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function terminalLine(text: string): string {
  return text.replace(CONTROL, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}
