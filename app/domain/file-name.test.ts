import { fileSlug } from "./file-name";

describe("fileSlug", () => {
  it("keeps ASCII letters and digits, drops accents, joins the rest with single hyphens", () => {
    expect(fileSlug("Convention Justice – DINUM « 2022 » : délégation")).toBe("convention-justice-dinum-2022-delegation");
  });
  it("is empty for a title with no letter or digit, and never longer than 80 characters nor ending with a hyphen", () => {
    expect(fileSlug("« — »")).toBe("");
    const long = fileSlug(`${"a".repeat(79)} b`);
    expect(long).toBe("a".repeat(79));
  });
});
