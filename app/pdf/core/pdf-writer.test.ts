import { describe, expect, it } from "vitest";
import { RawPdf } from "./pdf-raw";
import { literalString, nameText, numText, parsePdfDate, pdfDate, PdfFileWriter, rounded, textString } from "./pdf-writer";

describe("pdf-writer: values", () => {
  it("writes names, numbers and strings as the renderer and the signer need them", () => {
    expect(nameText("a b/c#")).toBe("/a#20b#2Fc#23");
    expect(() => nameText("€")).toThrow(RangeError);
    expect(numText(12)).toBe("12");
    expect(numText(0.5)).toBe("0.5");
    expect(numText(1.5e-7)).toBe("0.00000015");
    expect(rounded(12.345, 2)).toBe("12.35");
    expect(rounded(-0.0001, 3)).toBe("0");
    expect(literalString("a(b)\\c")).toBe("(a\\(b\\)\\\\c)");
    expect(textString("Aé€")).toBe("<FEFF004100E920AC>");
  });

  it("writes a date in UTC for the file's metadata and in Paris time for a signature, and reads both back", () => {
    const d = new Date("2022-12-19T22:45:15Z");
    expect(pdfDate(d, "utc")).toBe("D:20221219224515Z");
    expect(pdfDate(d, "paris")).toBe("D:20221219234515+01'00'");
    expect(pdfDate(new Date("2022-07-01T10:00:00Z"), "paris")).toBe("D:20220701120000+02'00'");
    expect(parsePdfDate(pdfDate(d, "utc"))?.getTime()).toBe(d.getTime());
    expect(parsePdfDate(pdfDate(d, "paris"))?.getTime()).toBe(d.getTime());
    expect(parsePdfDate("20221219")).toBeUndefined();
  });
});

describe("pdf-writer: file", () => {
  it("frames objects, one xref subsection per run of numbers, and a file the raw reader reads", () => {
    const w = new PdfFileWriter(0, "\n");
    w.raw("%PDF-1.7\n");
    w.object(1, 0, "<</Type /Catalog /Pages 2 0 R>>");
    w.object(2, 0, "<</Type /Pages /Kids [] /Count 0>>");
    const at = w.pos;
    w.object(4, 0, "<</Length 3>>", new Uint8Array([0x61, 0x62, 0x63]));
    w.end("<</Size 5 /Root 1 0 R>>");
    const text = Buffer.from(w.bytes()).toString("latin1");
    expect(text).toContain("1 0 obj\n<</Type /Catalog /Pages 2 0 R>>\nendobj\n\n");
    expect(text).toContain("4 0 obj\n<</Length 3>>\nstream\nabc\nendstream\nendobj\n\n");
    expect(text).toMatch(/xref\n0 3\n0000000000 65535 f \n\d{10} 00000 n \n\d{10} 00000 n \n4 1\n0*\d+ 00000 n \ntrailer\n<<\/Size 5 \/Root 1 0 R>>\nstartxref\n\d+\n%%EOF\n$/);
    const raw = new RawPdf(w.bytes());
    expect(raw.xref.get(4)?.offset).toBe(at);
    expect(raw.catalog().get("Pages")).toBeDefined();
  });

  it("an update's bytes start with the file it follows", () => {
    const w = new PdfFileWriter(3);
    w.raw("x");
    expect(Buffer.from(w.bytes(new Uint8Array([1, 2, 3])))).toEqual(Buffer.from([1, 2, 3, 0x78]));
    expect(() => w.bytes(new Uint8Array(2))).toThrow();
  });
});
