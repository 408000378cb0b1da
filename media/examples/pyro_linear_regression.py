"""Bayesian linear regression with Pyro (PyTorch).

What it shows: the model y ~ Normal(intercept + slope * x, sigma) as a Pyro
model function, sampled with NUTS through pyro.infer.MCMC, and a check that
the posterior means recover the values the synthetic data were made with.

Needs: pyro-ppl (which brings torch and numpy). No ArviZ needed.
Run it inside the PPL Nix shell:

    python examples/pyro_linear_regression.py

It prints the posterior means and "OK: posterior means within tolerance"
(exit code 0), or says which value is off (exit code 1). Takes some seconds
to a few tens of seconds: Pyro's NUTS runs step by step in Python.
Set PPL_NIX_EXAMPLE_SEED to try another data set / sampler seed.

API: MCMC(NUTS(model), num_samples=..., warmup_steps=..., num_chains=...,
disable_progbar=...), mcmc.run(*model_args) and mcmc.get_samples() are
unchanged from Pyro 1.8 to 1.9. One chain is used on purpose: Pyro runs
num_chains > 1 in separate processes (multiprocessing), which can fail in
restricted shells; one chain of 1000 draws is plenty for three parameters.
"""

import os
import sys
import time

import numpy as np
import torch
import pyro
import pyro.distributions as dist
from pyro.infer import MCMC, NUTS

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

N_WARMUP = 500
N_SAMPLES = 1000


def make_data(seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, size=N_OBSERVATIONS)
    y = TRUE_INTERCEPT + TRUE_SLOPE * x + rng.normal(0.0, TRUE_SIGMA, size=N_OBSERVATIONS)
    return x, y


def model(x, y=None):
    # Weakly informative priors for data on this scale.
    intercept = pyro.sample("intercept", dist.Normal(0.0, 5.0))
    slope = pyro.sample("slope", dist.Normal(0.0, 5.0))
    sigma = pyro.sample("sigma", dist.HalfNormal(2.0))
    with pyro.plate("data", x.shape[0]):
        pyro.sample("y", dist.Normal(intercept + slope * x, sigma), obs=y)


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
    x_t = torch.tensor(x, dtype=torch.float32)
    y_t = torch.tensor(y, dtype=torch.float32)

    # Seeds torch, Python's random and NumPy's global generator.
    pyro.set_rng_seed(SEED)
    mcmc = MCMC(
        NUTS(model),
        num_samples=N_SAMPLES,
        warmup_steps=N_WARMUP,
        num_chains=1,
        disable_progbar=True,
    )
    started = time.time()
    mcmc.run(x_t, y_t)
    elapsed = time.time() - started

    samples = mcmc.get_samples()  # dict: name -> tensor of N_SAMPLES draws
    print("Pyro %s: 1 chain x %d draws (%d warm-up) in %.1f s"
          % (pyro.__version__, N_SAMPLES, N_WARMUP, elapsed))
    means = {
        name: float(samples[name].mean())
        for name in ("intercept", "slope", "sigma")
    }
    return check(means)


if __name__ == "__main__":
    sys.exit(main())
