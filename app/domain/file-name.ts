/**
 * The file-name part made from an act's title: ASCII letters and digits joined by hyphens, so
 * every mail client and file system keeps it as is; `fallback` when the title has none of them.
 */
export function fileSlug(title: string, fallback = "convention"): string {
  const slug = title
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-/, "")
    .toLowerCase()
    .slice(0, 80)
    .replace(/-$/, "");
  return slug || fallback;
}
