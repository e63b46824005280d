import { fileSlug } from "./file-name";

describe("fileSlug", () => {
  it("keeps ASCII letters and digits, drops accents, joins the rest with single hyphens", () => {
    expect(fileSlug("Convention Justice – DINUM « 2022 » : délégation")).toBe("convention-justice-dinum-2022-delegation");
  });
  it("falls back for a title with no letter or digit, and is never longer than 80 characters nor ending with a hyphen", () => {
    expect(fileSlug("« — »", "")).toBe("");
    expect(fileSlug("« — »")).toBe("convention");
    expect(fileSlug("« — »", "2f0c")).toBe("2f0c");
    const long = fileSlug(`${"a".repeat(79)} b`);
    expect(long).toBe("a".repeat(79));
  });
});
