// The time-series page's arithmetic: seasonal naive, RMSE over known steps,
// and chart columns that line the forecasts up after the history.

import { describe, expect, it } from "vitest";
import { chartColumns, rmse, seasonalNaive, timeAxis } from "../../web/app/pages/series/forecast.ts";
import { seriesUnits } from "../../web/lib/data/presets.ts";

describe("forecast arithmetic", () => {
  it("seasonal naive repeats the history's last season; RMSE counts only the steps with a truth", () => {
    const history = Array.from({ length: 30 }, (_, i) => i);
    expect(seasonalNaive(history, 5, 12)).toEqual([18, 19, 20, 21, 22]);
    expect(seasonalNaive(history, 14, 12).slice(11)).toEqual([29, 18, 19]);
    expect(seasonalNaive([4, 5], 3, 12)).toEqual([4, 5, 4]);
    expect(rmse([1, 2, 3, 99], [1, 4, 3])).toBeCloseTo(Math.sqrt(4 / 3), 12);
    expect(rmse([], [1])).toBeNaN();
  });

  it("chart columns: the last values of the history, then truth and forecasts from its last value on", () => {
    const c = chartColumns([1, 2, 3, 4, 5], [6, 7, 8, 9], { model: [6.5, 7.5], naive: [5, 5] }, 3);
    expect(c.x).toEqual([2, 3, 4, 5, 6]);
    expect(c.history).toEqual([3, 4, 5, NaN, NaN]);
    expect(c.truth).toEqual([NaN, NaN, 5, 6, 7]);
    expect(c.forecasts.model).toEqual([NaN, NaN, 5, 6.5, 7.5]);
    expect(c.forecasts.naive).toEqual([NaN, NaN, 5, 5, 5]);
    // A forecast past the held-out data: the truth stops where the data does.
    const far = chartColumns([1, 2], [3], { model: [3, 4, 5] }, 10);
    expect(far.x).toEqual([0, 1, 2, 3, 4]);
    expect(far.truth).toEqual([NaN, 2, 3, NaN, NaN]);
  });

  it("draws the CO₂ preset against years (March 1958 first) in ppm; any other series against steps", () => {
    const co2 = seriesUnits("series");
    expect(co2.unit).toBe("ppm");
    const years = timeAxis(co2.time, 741);
    expect(years.label).toBe("year");
    // The file's last row is April 2020; 24 months before it, April 2018.
    expect(years.at(740)).toBeCloseTo(2020 + 3 / 12, 12);
    expect(years.at(716)).toBeCloseTo(2018 + 3 / 12, 12);
    expect(seriesUnits("names")).toEqual({});
    expect(seriesUnits(undefined)).toEqual({});
    const steps = timeAxis(undefined, 100);
    expect([steps.label, steps.at(7)]).toEqual(["step", 7]);
  });
});
