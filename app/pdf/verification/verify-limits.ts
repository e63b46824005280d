/** Size limit of the public verify page's upload: shared by the page (its hint) and the server code. */
export const MAX_UPLOAD_MB = 20;
