import { addDays, addMonths, compareDates, daysBetween, daysInMonth, isExpired, isIsoDate, isLeapYear, lastNoticeDate, parisDate, parisMidnight, terminationEffectiveDate } from "./dates";

describe("années bissextiles et fins de mois", () => {
  it("suit le calendrier grégorien : 2024 et 2000 bissextiles, 2100, 1900 et 2023 non", () => {
    expect(isLeapYear(2024)).toBe(true);
    expect(isLeapYear(2000)).toBe(true);
    expect(isLeapYear(2100)).toBe(false);
    expect(isLeapYear(1900)).toBe(false);
    expect(isLeapYear(2023)).toBe(false);
    expect(isLeapYear(2028)).toBe(true);
  });

  it("compte les jours de chaque mois", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2023, m))).toEqual([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]);
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
  });

  it("refuse les dates qui n'existent pas", () => {
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2023-02-29")).toBe(false);
    expect(isIsoDate("2100-02-29")).toBe(false);
    expect(isIsoDate("2000-02-29")).toBe(true);
    expect(isIsoDate("2023-04-31")).toBe(false);
    expect(isIsoDate("2023-13-01")).toBe(false);
    expect(isIsoDate("2023-00-10")).toBe(false);
    expect(isIsoDate("2023-1-10")).toBe(false);
    expect(() => addMonths("2023-02-29", 1)).toThrow(/Date invalide/);
    expect(() => addDays("31/03/2023", 1)).toThrow(/Date invalide/);
  });
});

describe("addMonths : préavis sur le calendrier, ramené à la fin du mois", () => {
  it("31 mars + 3 mois = 30 juin", () => {
    expect(addMonths("2023-03-31", 3)).toBe("2023-06-30");
  });

  it("30 novembre + 3 mois = 28 février, ou 29 les années bissextiles (2024, 2000 ; pas 2100)", () => {
    expect(addMonths("2022-11-30", 3)).toBe("2023-02-28");
    expect(addMonths("2023-11-30", 3)).toBe("2024-02-29");
    expect(addMonths("2099-11-30", 3)).toBe("2100-02-28");
    expect(addMonths("1999-11-30", 3)).toBe("2000-02-29");
  });

  it("préavis de 1, 3, 6 et 12 mois", () => {
    expect(addMonths("2023-01-31", 1)).toBe("2023-02-28");
    expect(addMonths("2024-01-31", 1)).toBe("2024-02-29");
    expect(addMonths("2023-01-15", 1)).toBe("2023-02-15");
    expect(addMonths("2023-12-31", 1)).toBe("2024-01-31");
    expect(addMonths("2023-10-15", 3)).toBe("2024-01-15");
    expect(addMonths("2023-08-31", 6)).toBe("2024-02-29");
    expect(addMonths("2024-08-31", 6)).toBe("2025-02-28");
    expect(addMonths("2023-12-31", 6)).toBe("2024-06-30");
    expect(addMonths("2024-02-29", 12)).toBe("2025-02-28");
    expect(addMonths("2023-02-28", 12)).toBe("2024-02-28");
    expect(addMonths("2099-02-28", 12)).toBe("2100-02-28");
    expect(addMonths("2023-06-30", 12)).toBe("2024-06-30");
  });

  it("0 mois rend la même date ; les mois négatifs reculent, ramenés aussi à la fin du mois", () => {
    expect(addMonths("2023-03-31", 0)).toBe("2023-03-31");
    expect(addMonths("2023-06-30", -3)).toBe("2023-03-30");
    expect(addMonths("2024-05-31", -3)).toBe("2024-02-29");
    expect(addMonths("2023-01-15", -1)).toBe("2022-12-15");
    expect(addMonths("2023-03-15", -14)).toBe("2022-01-15");
    expect(() => addMonths("2023-03-15", 1.5)).toThrow(/mois invalide/);
  });
});

describe("addDays, daysBetween, compareDates", () => {
  it("franchit fins de mois, d'année et 29 février", () => {
    expect(addDays("2023-12-31", 1)).toBe("2024-01-01");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2024-02-29", 1)).toBe("2024-03-01");
    expect(addDays("2100-02-28", 1)).toBe("2100-03-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(addDays("2026-03-28", 1)).toBe("2026-03-29");
    expect(addDays("2026-03-29", 1)).toBe("2026-03-30");
    expect(addDays("2026-10-25", 1)).toBe("2026-10-26");
    expect(addDays("2024-01-01", 366)).toBe("2025-01-01");
  });

  it("compte les jours et compare", () => {
    expect(daysBetween("2024-01-01", "2025-01-01")).toBe(366);
    expect(daysBetween("2026-03-01", "2026-04-01")).toBe(31);
    expect(daysBetween("2026-10-01", "2026-11-01")).toBe(31);
    expect(daysBetween("2024-03-01", "2024-02-01")).toBe(-29);
    expect(compareDates("2024-02-29", "2024-03-01")).toBe(-1);
    expect(compareDates("2024-03-01", "2024-02-29")).toBe(1);
    expect(compareDates("2024-03-01", "2024-03-01")).toBe(0);
    expect(() => compareDates("2024-3-1", "2024-03-01")).toThrow(/Date invalide/);
  });
});

describe("parisDate : la date du calendrier de Paris d'un instant, autour des changements d'heure", () => {
  it("passage à l'heure d'été (29 mars 2026, 01:00 UTC)", () => {
    // UTC+1 before the change.
    expect(parisDate(new Date("2026-03-28T22:30:00Z"))).toBe("2026-03-28"); // 23:30
    expect(parisDate(new Date("2026-03-28T23:00:00Z"))).toBe("2026-03-29"); // 00:00
    expect(parisDate(new Date("2026-03-28T23:30:00Z"))).toBe("2026-03-29"); // 00:30
    // UTC+2 after the change.
    expect(parisDate(new Date("2026-03-29T21:30:00Z"))).toBe("2026-03-29"); // 23:30
    expect(parisDate(new Date("2026-03-29T22:00:00Z"))).toBe("2026-03-30"); // 00:00
    expect(parisDate(new Date("2026-03-29T22:30:00Z"))).toBe("2026-03-30"); // 00:30
    expect(parisDate(new Date("2026-03-29T23:30:00Z"))).toBe("2026-03-30"); // 01:30
  });

  it("retour à l'heure d'hiver (25 octobre 2026, 01:00 UTC)", () => {
    // UTC+2 before the change.
    expect(parisDate(new Date("2026-10-24T21:30:00Z"))).toBe("2026-10-24"); // 23:30
    expect(parisDate(new Date("2026-10-24T22:30:00Z"))).toBe("2026-10-25"); // 00:30
    expect(parisDate(new Date("2026-10-24T23:30:00Z"))).toBe("2026-10-25"); // 01:30
    // UTC+1 after the change.
    expect(parisDate(new Date("2026-10-25T22:30:00Z"))).toBe("2026-10-25"); // 23:30
    expect(parisDate(new Date("2026-10-25T23:00:00Z"))).toBe("2026-10-26"); // 00:00
    expect(parisDate(new Date("2026-10-25T23:30:00Z"))).toBe("2026-10-26"); // 00:30
  });

  it("en hiver et en été, loin des changements, et au 31 décembre", () => {
    expect(parisDate(new Date("2026-01-15T22:59:59Z"))).toBe("2026-01-15");
    expect(parisDate(new Date("2026-01-15T23:00:00Z"))).toBe("2026-01-16");
    expect(parisDate(new Date("2026-07-15T21:59:59Z"))).toBe("2026-07-15");
    expect(parisDate(new Date("2026-07-15T22:00:00Z"))).toBe("2026-07-16");
    expect(parisDate(new Date("2026-12-31T23:30:00Z"))).toBe("2027-01-01");
    expect(() => parisDate(new Date("nope"))).toThrow(/Instant invalide/);
  });

  it("parisMidnight donne l'instant où Paris entre dans une date, heure d'hiver ou d'été", () => {
    expect(parisMidnight("2026-03-29").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(parisMidnight("2026-03-30").toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(parisMidnight("2026-10-25").toISOString()).toBe("2026-10-24T22:00:00.000Z");
    expect(parisMidnight("2026-10-26").toISOString()).toBe("2026-10-25T23:00:00.000Z");
    expect(parisMidnight("2024-02-29").toISOString()).toBe("2024-02-28T23:00:00.000Z");
    // Round trip over two years, every day: the instant is in that date, one minute before is not.
    for (let d = "2026-01-01"; d < "2028-01-01"; d = addDays(d, 1)) {
      const t = parisMidnight(d);
      expect(parisDate(t)).toBe(d);
      expect(parisDate(new Date(t.getTime() - 60_000))).toBe(addDays(d, -1));
    }
  });

  it("une fin de vigueur le 25 octobre 2026 : expirée à partir du 26 à 00:00 heure de Paris (23:00 UTC le 25)", () => {
    const endsOn = "2026-10-25";
    expect(isExpired(endsOn, parisDate(new Date("2026-10-25T22:59:00Z")))).toBe(false);
    expect(isExpired(endsOn, parisDate(new Date("2026-10-25T23:00:00Z")))).toBe(true);
    // Summer time: an end on 29 March 2026 expires at 22:00 UTC that day.
    expect(isExpired("2026-03-29", parisDate(new Date("2026-03-29T21:59:00Z")))).toBe(false);
    expect(isExpired("2026-03-29", parisDate(new Date("2026-03-29T22:00:00Z")))).toBe(true);
  });
});

describe("terminationEffectiveDate", () => {
  it("date de notification + préavis, sur le calendrier", () => {
    expect(terminationEffectiveDate({ notifiedOn: "2023-03-31", preavisMois: 3, communAccord: false })).toBe("2023-06-30");
    expect(terminationEffectiveDate({ notifiedOn: "2023-11-30", preavisMois: 3, communAccord: false })).toBe("2024-02-29");
    expect(terminationEffectiveDate({ notifiedOn: "2024-11-30", preavisMois: 3, communAccord: false })).toBe("2025-02-28");
    expect(terminationEffectiveDate({ notifiedOn: "2023-01-31", preavisMois: 1, communAccord: false })).toBe("2023-02-28");
    expect(terminationEffectiveDate({ notifiedOn: "2023-08-31", preavisMois: 6, communAccord: false })).toBe("2024-02-29");
    expect(terminationEffectiveDate({ notifiedOn: "2024-02-29", preavisMois: 12, communAccord: false })).toBe("2025-02-28");
    expect(terminationEffectiveDate({ notifiedOn: "2023-05-10", preavisMois: 0, communAccord: false })).toBe("2023-05-10");
  });

  it("une date demandée plus tardive l'emporte ; plus tôt que le préavis, elle est ignorée", () => {
    expect(terminationEffectiveDate({ notifiedOn: "2023-03-31", preavisMois: 3, requested: "2023-12-31", communAccord: false })).toBe("2023-12-31");
    expect(terminationEffectiveDate({ notifiedOn: "2023-03-31", preavisMois: 3, requested: "2023-05-01", communAccord: false })).toBe("2023-06-30");
    expect(terminationEffectiveDate({ notifiedOn: "2023-03-31", preavisMois: 3, requested: "2023-06-30", communAccord: false })).toBe("2023-06-30");
  });

  it("d'un commun accord : pas de préavis, la date demandée ou celle de la notification", () => {
    expect(terminationEffectiveDate({ notifiedOn: "2023-03-31", preavisMois: 3, communAccord: true })).toBe("2023-03-31");
    expect(terminationEffectiveDate({ notifiedOn: "2023-03-31", preavisMois: 3, requested: "2023-04-15", communAccord: true })).toBe("2023-04-15");
  });

  it("refuse un préavis ou une date invalides", () => {
    expect(() => terminationEffectiveDate({ notifiedOn: "2023-03-31", preavisMois: -1, communAccord: false })).toThrow(/Préavis invalide/);
    expect(() => terminationEffectiveDate({ notifiedOn: "2023-02-30", preavisMois: 3, communAccord: false })).toThrow(/Date invalide/);
    expect(() => terminationEffectiveDate({ notifiedOn: "2023-02-01", preavisMois: 3, requested: "x", communAccord: false })).toThrow(/Date invalide/);
  });
});

describe("lastNoticeDate : dernière date de notification qui prend effet au plus tard à la fin", () => {
  it("exemples", () => {
    expect(lastNoticeDate("2023-06-30", 3)).toBe("2023-03-31");
    expect(lastNoticeDate("2023-07-15", 3)).toBe("2023-04-15");
    // 29 and 30 November 2023 both take effect on 29 February 2024 with 3 months.
    expect(lastNoticeDate("2024-02-29", 3)).toBe("2023-11-30");
    // 28 February 2023 is reached from 28, 29 and 30 November (and 31 is not a date).
    expect(lastNoticeDate("2023-02-28", 3)).toBe("2022-11-30");
    expect(lastNoticeDate("2024-02-28", 3)).toBe("2023-11-28");
    expect(lastNoticeDate("2100-02-28", 3)).toBe("2099-11-30");
    expect(lastNoticeDate("2023-02-28", 1)).toBe("2023-01-31");
    expect(lastNoticeDate("2024-02-29", 6)).toBe("2023-08-31");
    expect(lastNoticeDate("2025-02-28", 12)).toBe("2024-02-29");
    expect(lastNoticeDate("2024-12-31", 12)).toBe("2023-12-31");
    expect(lastNoticeDate("2023-05-10", 0)).toBe("2023-05-10");
  });

  it("sur trois ans d'échéances et des préavis de 1, 3, 6 et 12 mois : prend effet à temps, le lendemain trop tard", () => {
    for (const p of [1, 3, 6, 12]) {
      for (let e = "2023-01-01"; e < "2026-01-01"; e = addDays(e, 1)) {
        const last = lastNoticeDate(e, p);
        const effect = terminationEffectiveDate({ notifiedOn: last, preavisMois: p, communAccord: false });
        expect(compareDates(effect, e), `${e} − ${p} mois`).toBeLessThanOrEqual(0);
        const tooLate = terminationEffectiveDate({ notifiedOn: addDays(last, 1), preavisMois: p, communAccord: false });
        expect(compareDates(tooLate, e), `${e} − ${p} mois, lendemain`).toBe(1);
      }
    }
  });
});

describe("isExpired", () => {
  it("la date de fin est le dernier jour en vigueur", () => {
    expect(isExpired("2024-12-31", "2024-12-30")).toBe(false);
    expect(isExpired("2024-12-31", "2024-12-31")).toBe(false);
    expect(isExpired("2024-12-31", "2025-01-01")).toBe(true);
  });
});
