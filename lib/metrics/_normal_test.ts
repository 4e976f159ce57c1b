import { normalCdf, normalPpf } from "./_normal.ts";
import { assertClose } from "./_testdata.ts";

// Reference values: scipy.stats.norm.cdf / norm.ppf (scipy 1.17.1).
Deno.test("normalCdf agrees with scipy to 1e-12 relative", () => {
  const cases: [number, number][] = [
    [-37.5, 4.605353009581954e-308],
    [-8, 6.22096057427174e-16],
    [-3.1, 0.0009676032132183563],
    [-1, 0.15865525393145707],
    [0, 0.5],
    [0.25, 0.5987063256829237],
    [2.9, 0.998134186699616],
    [3, 0.9986501019683699],
    [5, 0.9999997133484281],
    [8.5, 1],
  ];
  for (const [x, p] of cases) assertClose(normalCdf(x), p, Math.max(1e-300, p * 1e-12), `cdf(${x})`);
});

Deno.test("normalPpf agrees with scipy to 1e-12", () => {
  const cases: [number, number][] = [
    [1e-10, -6.361340902404056],
    [0.001, -3.090232306167813],
    [0.02, -2.053748910631823],
    [0.3, -0.5244005127080409],
    [0.5, 0],
    [0.8, 0.8416212335729143],
    [0.99, 2.3263478740408408],
    [0.999999, 4.753424308817087],
  ];
  for (const [p, x] of cases) assertClose(normalPpf(p), x, 1e-12, `ppf(${p})`);
  assertClose(normalPpf(0), -Infinity);
  assertClose(normalPpf(1.5), NaN);
});
