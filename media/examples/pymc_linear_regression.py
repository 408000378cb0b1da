"""Bayesian linear regression with PyMC (5.x and 6.x).

What it shows: the model y ~ Normal(intercept + slope * x, sigma) in PyMC,
sampled with NUTS, summarised with ArviZ, and a check that the posterior
means recover the values the synthetic data were made with.

Needs: pymc (which brings pytensor, arviz and numpy).
Run it inside the PPL Nix shell:

    python examples/pymc_linear_regression.py

It prints an ArviZ summary, the posterior means and
"OK: posterior means within tolerance" (exit code 0), or says which value
is off (exit code 1). Takes well under a minute once PyTensor has compiled
the model (the first run of a new shell compiles, later runs reuse the cache).
Set PPL_NIX_EXAMPLE_SEED to try another data set / sampler seed.

API notes (this is *not* PyMC3): `import pymc as pm`; pm.sample returns an
ArviZ InferenceData (PyMC 5, ArviZ 0.x) or an xarray DataTree (PyMC 6,
ArviZ 1.x) instead of PyMC3's MultiTrace. Both are read the same way below:
idata.posterior["slope"]. The keywords used here (draws, tune, chains, cores,
random_seed, progressbar) are the same from PyMC 5.0 to 6.x.
"""

import os
import sys
import time

import numpy as np
import arviz as az
import pymc as pm

# The data are simulated from these values; the check compares against them.
TRUE_INTERCEPT = 1.0
TRUE_SLOPE = 2.0
TRUE_SIGMA = 0.5
N_OBSERVATIONS = 100

# With n = 100 and x uniform on [-2, 2] the posterior standard deviations are
# about 0.05 (intercept), 0.045 (slope) and 0.035 (sigma), and the posterior
# mean itself scatters around the true value by about one such standard
# deviation from data set to data set. The tolerances are ~6 standard
# deviations: a working sampler passes for any seed, while a broken model or
# an unconverged chain (wrong sign, stuck at the prior, ...) fails.
TOLERANCE = {"intercept": 0.3, "slope": 0.3, "sigma": 0.2}

SEED = int(os.environ.get("PPL_NIX_EXAMPLE_SEED", "2022"))

N_CHAINS = 2
N_TUNE = 500
N_DRAWS = 500


def make_data(seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, size=N_OBSERVATIONS)
    y = TRUE_INTERCEPT + TRUE_SLOPE * x + rng.normal(0.0, TRUE_SIGMA, size=N_OBSERVATIONS)
    return x, y


def check(means):
    truth = {"intercept": TRUE_INTERCEPT, "slope": TRUE_SLOPE, "sigma": TRUE_SIGMA}
    failed = []
    for name in ("intercept", "slope", "sigma"):
        error = abs(means[name] - truth[name])
        print(
            "  %-9s posterior mean %7.3f   true %5.2f   |error| %.3f (tolerance %.2f)"
            % (name, means[name], truth[name], error, TOLERANCE[name])
        )
        if not error < TOLERANCE[name]:
            failed.append(name)
    if failed:
        print("FAILED: posterior mean of %s too far from the true value" % ", ".join(failed))
        return 1
    print("OK: posterior means within tolerance")
    return 0


def main():
    x, y = make_data(SEED)

    with pm.Model():
        # Weakly informative priors for data on this scale.
        intercept = pm.Normal("intercept", mu=0.0, sigma=5.0)
        slope = pm.Normal("slope", mu=0.0, sigma=5.0)
        sigma = pm.HalfNormal("sigma", sigma=2.0)
        pm.Normal("y", mu=intercept + slope * x, sigma=sigma, observed=y)

        started = time.time()
        # cores=1 runs the chains one after the other in this process:
        # multiprocess sampling can fail in restricted shells and sandboxes.
        idata = pm.sample(
            draws=N_DRAWS,
            tune=N_TUNE,
            chains=N_CHAINS,
            cores=1,
            random_seed=SEED,
            progressbar=False,
        )
        elapsed = time.time() - started

    print("PyMC %s: %d chains x %d draws (%d tuning) in %.1f s"
          % (pm.__version__, N_CHAINS, N_DRAWS, N_TUNE, elapsed))
    print(az.summary(idata, var_names=["intercept", "slope", "sigma"]))

    # idata.posterior[name] is a (chain, draw) DataArray for InferenceData
    # (PyMC 5) and DataTree (PyMC 6) alike.
    means = {
        name: float(idata.posterior[name].values.mean())
        for name in ("intercept", "slope", "sigma")
    }
    return check(means)


if __name__ == "__main__":
    sys.exit(main())
