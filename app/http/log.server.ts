/**
 * Request data (paths, parameters, form fields, provider messages, client addresses) in a log line:
 * control characters are escaped so that a value cannot start a forged line or hide text, and the
 * value is cut to a readable length.
 */
export function forLog(value: unknown, max = 300): string {
  const text = String(value);
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return cut.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
