"""Bayesian linear regression with NumPyro (JAX).

What it shows: the model y ~ Normal(intercept + slope * x, sigma) as a NumPyro
model function, sampled with NUTS through numpyro.infer.MCMC, and a check
that the posterior means recover the values the synthetic data were made
with.

Needs: numpyro (which brings jax, jaxlib and numpy). No ArviZ needed.
Run it inside the PPL Nix shell:

    python examples/numpyro_linear_regression.py

It prints the posterior means and "OK: posterior means within tolerance"
(exit code 0), or says which value is off (exit code 1). Takes a few seconds
(most of it JIT compilation). Set PPL_NIX_EXAMPLE_SEED to try another data
set / sampler seed.

API: MCMC(NUTS(model), num_warmup=..., num_samples=..., num_chains=...,
chain_method="sequential", progress_bar=False), mcmc.run(rng_key, ...) and
mcmc.get_samples() are unchanged from NumPyro 0.13 to 0.21.
jax.random.PRNGKey is used rather than the newer jax.random.key because the
older NumPyro releases shipped by nixos-23.11/24.05 only accept the former;
current JAX still provides it.
"""

import os
import sys
import time

import numpy as np
import jax
import jax.numpy as jnp
import numpyro
import numpyro.distributions as dist
from numpyro.infer import MCMC, NUTS

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


def model(x, y=None):
    # Weakly informative priors for data on this scale.
    intercept = numpyro.sample("intercept", dist.Normal(0.0, 5.0))
    slope = numpyro.sample("slope", dist.Normal(0.0, 5.0))
    sigma = numpyro.sample("sigma", dist.HalfNormal(2.0))
    with numpyro.plate("data", x.shape[0]):
        numpyro.sample("y", dist.Normal(intercept + slope * x, sigma), obs=y)


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

    # chain_method="sequential" runs the chains one after the other on the
    # one CPU device JAX sees by default (no extra processes or devices).
    mcmc = MCMC(
        NUTS(model),
        num_warmup=N_WARMUP,
        num_samples=N_SAMPLES,
        num_chains=N_CHAINS,
        chain_method="sequential",
        progress_bar=False,
    )
    started = time.time()
    mcmc.run(jax.random.PRNGKey(SEED), jnp.asarray(x), y=jnp.asarray(y))
    elapsed = time.time() - started

    samples = mcmc.get_samples()  # dict: name -> array of N_CHAINS * N_SAMPLES draws
    print("NumPyro %s: %d chains x %d draws (%d warm-up) in %.1f s"
          % (numpyro.__version__, N_CHAINS, N_SAMPLES, N_WARMUP, elapsed))
    means = {
        name: float(np.mean(np.asarray(samples[name])))
        for name in ("intercept", "slope", "sigma")
    }
    return check(means)


if __name__ == "__main__":
    sys.exit(main())
