/**
 * The file-name part made from an act's title: ASCII letters and digits joined by hyphens, so
 * every mail client and file system keeps it as is. Empty when the title has none of them.
 */
export function fileSlug(title: string): string {
  return title
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .toLowerCase()
    .slice(0, 80)
    .replace(/-$/, "");
}
