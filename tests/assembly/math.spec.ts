import { expf, expv, sigmoidf, sigmoidv, tanhf, tanhv } from "../../assembly/kernels/math";

// Worst errors over a dense grid of [-30, 30] and a few extremes, for the
// scalar function and for each lane of the vector one.
const EXTREMES: f32[] = [-100, -88, -87, -20, -1e-7, 0, 1e-7, 20, 87, 88, 100];

function lanes(v: v128): f32[] {
  return [f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1), f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)];
}

function grid(): f32[] {
  const xs: f32[] = [];
  for (let i = -30000; i <= 30000; i += 7) xs.push(<f32>i / 1000);
  for (let i = 0; i < EXTREMES.length; i++) xs.push(EXTREMES[i]);
  return xs;
}

describe("activations against float64", () => {
  it("exp is within 1e-6 relative error (scalar and every SIMD lane) on [-87, 88]", () => {
    const xs = grid();
    let worst: f64 = 0;
    for (let i = 0; i + 4 <= xs.length; i += 4) {
      const v = lanes(expv(f32x4(xs[i], xs[i + 1], xs[i + 2], xs[i + 3])));
      for (let l = 0; l < 4; l++) {
        const x = xs[i + l];
        if (x < -87 || x > 88) continue;
        const exact = Math.exp(<f64>x);
        worst = Math.max(worst, Math.abs(<f64>v[l] - exact) / exact);
        worst = Math.max(worst, Math.abs(<f64>expf(x) - exact) / exact);
      }
    }
    expect(worst).toBeLessThan(1e-6);
  });

  it("sigmoid and tanh are within 1e-6 absolute error everywhere, including the extremes", () => {
    const xs = grid();
    let worstS: f64 = 0;
    let worstT: f64 = 0;
    for (let i = 0; i + 4 <= xs.length; i += 4) {
      const x4 = f32x4(xs[i], xs[i + 1], xs[i + 2], xs[i + 3]);
      const s = lanes(sigmoidv(x4));
      const t = lanes(tanhv(x4));
      for (let l = 0; l < 4; l++) {
        const x = <f64>xs[i + l];
        const es = 1 / (1 + Math.exp(-x));
        const et = Math.tanh(x);
        worstS = Math.max(worstS, Math.max(Math.abs(<f64>s[l] - es), Math.abs(<f64>sigmoidf(<f32>x) - es)));
        worstT = Math.max(worstT, Math.max(Math.abs(<f64>t[l] - et), Math.abs(<f64>tanhf(<f32>x) - et)));
      }
    }
    expect(worstS).toBeLessThan(1e-6);
    expect(worstT).toBeLessThan(1e-6);
  });

  it("tanh is within 5e-7 relative error everywhere, tiny inputs included (scalar and every SIMD lane)", () => {
    const xs = grid();
    for (let e = -38; e <= 0; e++) {
      xs.push(<f32>Math.pow(10, e) * <f32>1.2345);
      xs.push(<f32>-Math.pow(10, e) * <f32>1.2345);
    }
    while (xs.length % 4) xs.push(1);
    let worst: f64 = 0;
    for (let i = 0; i < xs.length; i += 4) {
      const t = lanes(tanhv(f32x4(xs[i], xs[i + 1], xs[i + 2], xs[i + 3])));
      for (let l = 0; l < 4; l++) {
        const x = <f64>xs[i + l];
        const exact = Math.tanh(x);
        const error = Math.max(Math.abs(<f64>t[l] - exact), Math.abs(<f64>tanhf(<f32>x) - exact));
        worst = Math.max(worst, x == 0 ? error : error / Math.abs(exact));
      }
    }
    expect(worst).toBeLessThan(5e-7);
  });

  it("saturates without NaN at ±100 and keeps tanh odd", () => {
    expect(sigmoidf(100)).toBe(<f32>1);
    expect(sigmoidf(-100)).toBeLessThan(<f32>1e-30);
    expect(tanhf(100)).toBe(<f32>1);
    expect(tanhf(-100)).toBe(<f32>-1);
    expect(tanhf(<f32>0.5) + tanhf(<f32>-0.5)).toBeCloseTo(0, 7);
  });
});
