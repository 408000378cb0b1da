"""Bayesian linear regression with Stan through CmdStanPy.

What it shows: the Stan program linear_regression.stan (next to this file),
compiled with CmdStanPy, sampled with Stan's NUTS, and a check that the
posterior means recover the values the synthetic data were made with.

Needs: cmdstanpy and CmdStan (the PPL Nix shell adds the cmdstan package and
sets CMDSTAN for you), plus numpy. A C++ compiler is needed to build the
model; the Nix shell provides one. No ArviZ needed.
Run it inside the PPL Nix shell:

    python examples/cmdstanpy_linear_regression.py

The first run compiles the model (about a minute) and leaves the executable
next to the .stan file, so later runs start at once. It prints the posterior
means and "OK: posterior means within tolerance" (exit code 0), or says which
value is off (exit code 1). Set PPL_NIX_EXAMPLE_SEED to try another data set /
sampler seed.

API: CmdStanModel(stan_file=...), model.sample(data=..., chains=...,
parallel_chains=..., iter_warmup=..., iter_sampling=..., seed=...,
show_progress=...) and fit.stan_variable(name) are unchanged from CmdStanPy
1.0 to 1.3 (keyword arguments, as CmdStanPy 1.3.2 and later require).
"""

import os
import sys
import time
from pathlib import Path

import numpy as np
import cmdstanpy
from cmdstanpy import CmdStanModel

STAN_FILE = Path(__file__).with_name("linear_regression.stan")

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
N_WARMUP = 500
N_SAMPLES = 500


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

    # Compiles on first use (or when the .stan file changed).
    model = CmdStanModel(stan_file=str(STAN_FILE))

    started = time.time()
    # parallel_chains=1: the chains run one after the other.
    fit = model.sample(
        data={"N": N_OBSERVATIONS, "x": x, "y": y},
        chains=N_CHAINS,
        parallel_chains=1,
        iter_warmup=N_WARMUP,
        iter_sampling=N_SAMPLES,
        seed=SEED,
        show_progress=False,
    )
    elapsed = time.time() - started

    print("CmdStanPy %s: %d chains x %d draws (%d warm-up) in %.1f s"
          % (cmdstanpy.__version__, N_CHAINS, N_SAMPLES, N_WARMUP, elapsed))
    means = {
        name: float(np.mean(fit.stan_variable(name)))
        for name in ("intercept", "slope", "sigma")
    }
    return check(means)


if __name__ == "__main__":
    sys.exit(main())
