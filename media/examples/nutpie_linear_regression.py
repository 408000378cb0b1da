"""Bayesian linear regression with nutpie (Rust NUTS) on a PyMC model.

What it shows: the model y ~ Normal(intercept + slope * x, sigma) written in
PyMC, compiled with nutpie.compile_pymc_model and sampled with nutpie.sample,
summarised with ArviZ, and a check that the posterior means recover the
values the synthetic data were made with.

Needs: nutpie, pymc and numba (nutpie's default backend compiles the PyMC
model with numba; nixpkgs' nutpie does not pull pymc or numba in by itself,
so add both to the shell). nutpie is in nixpkgs from nixos-25.05 on.
Run it inside the PPL Nix shell:

    python examples/nutpie_linear_regression.py

It prints an ArviZ summary, the posterior means and
"OK: posterior means within tolerance" (exit code 0), or says which value
is off (exit code 1). The first run spends most of its time compiling the
model with numba; sampling itself takes about a second.
Set PPL_NIX_EXAMPLE_SEED to try another data set / sampler seed.

API: nutpie.compile_pymc_model(model) and nutpie.sample(compiled, draws=...,
tune=..., chains=..., seed=..., progress_bar=...) are unchanged from nutpie
0.9 to 0.16. The result is an ArviZ InferenceData with ArviZ 0.x and an
xarray DataTree with ArviZ 1.x; both are read as trace.posterior["slope"].
nutpie runs chains in threads of one process, so no multiprocessing is
involved.
"""

import os
import sys
import time

import numpy as np
import arviz as az
import pymc as pm
import nutpie

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

    with pm.Model() as model:
        # Weakly informative priors for data on this scale.
        intercept = pm.Normal("intercept", mu=0.0, sigma=5.0)
        slope = pm.Normal("slope", mu=0.0, sigma=5.0)
        sigma = pm.HalfNormal("sigma", sigma=2.0)
        pm.Normal("y", mu=intercept + slope * x, sigma=sigma, observed=y)

    started = time.time()
    compiled = nutpie.compile_pymc_model(model)
    compiled_at = time.time()
    trace = nutpie.sample(
        compiled,
        draws=N_DRAWS,
        tune=N_TUNE,
        chains=N_CHAINS,
        seed=SEED,
        progress_bar=False,
    )
    finished = time.time()

    print("nutpie %s: compiled in %.1f s, %d chains x %d draws (%d tuning) in %.1f s"
          % (nutpie.__version__, compiled_at - started, N_CHAINS, N_DRAWS, N_TUNE,
             finished - compiled_at))
    print(az.summary(trace, var_names=["intercept", "slope", "sigma"]))

    means = {
        name: float(trace.posterior[name].values.mean())
        for name in ("intercept", "slope", "sigma")
    }
    return check(means)


if __name__ == "__main__":
    sys.exit(main())
