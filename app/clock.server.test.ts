import { advanceClock, clockOffsetMs, ClockControlError, now } from "./clock.server";

describe("the portal's clock", () => {
  it("is real time until a test moves it, and only forward, and only with clock control", () => {
    const before = clockOffsetMs();
    expect(Math.abs(now().getTime() - Date.now() - before)).toBeLessThan(50);
    expect(() => advanceClock({ clockControl: false }, 86_400_000)).toThrow(ClockControlError);
    expect(clockOffsetMs()).toBe(before);
    expect(() => advanceClock({ clockControl: true }, -1)).toThrow("L'horloge ne peut qu'avancer.");
    const moved = advanceClock({ clockControl: true }, 10 * 86_400_000);
    expect(moved.getTime() - Date.now()).toBeGreaterThan(before + 10 * 86_400_000 - 50);
    expect(clockOffsetMs()).toBe(before + 10 * 86_400_000);
  });
});
