"""Bayesian linear regression with BlackJAX (JAX sampling library).

What it shows: BlackJAX is a sampler library, not a modelling language, so
the model y ~ Normal(intercept + slope * x, sigma) is written as a JAX
log-density (sigma sampled on the log scale, with its Jacobian). Stan-style
window adaptation tunes NUTS, the chain is run with jax.lax.scan, and a check
compares the posterior means with the values the synthetic data were made
with.

Needs: blackjax 1.x (which brings jax, jaxlib and numpy). No ArviZ needed.
Run it inside the PPL Nix shell:

    python examples/blackjax_linear_regression.py

It prints the posterior means and "OK: posterior means within tolerance"
(exit code 0), or says which value is off (exit code 1). Takes a few seconds
(most of it JIT compilation). Set PPL_NIX_EXAMPLE_SEED to try another data
set / sampler seed.

API (BlackJAX 1.0 to 1.6; the 0.x API was different):
  warmup = blackjax.window_adaptation(blackjax.nuts, logdensity_fn)
  (state, parameters), _ = warmup.run(rng_key, initial_position, num_steps=...)
  nuts = blackjax.nuts(logdensity_fn, **parameters)  # step_size, inverse_mass_matrix
  state, info = nuts.step(rng_key, state)
window_adaptation's progress_bar argument was dropped in BlackJAX 1.6, so it
is not used. jax.random.PRNGKey is used because BlackJAX 1.0/1.1 predate
JAX's typed keys; current JAX still provides it.
"""

import os
import sys
import time

import numpy as np
import jax
import jax.numpy as jnp
from jax.scipy.stats import norm
import blackjax

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
N_DRAWS = 500


def make_data(seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, size=N_OBSERVATIONS)
    y = TRUE_INTERCEPT + TRUE_SLOPE * x + rng.normal(0.0, TRUE_SIGMA, size=N_OBSERVATIONS)
    return x, y


def make_logdensity(x, y):
    x = jnp.asarray(x, dtype=jnp.float32)
    y = jnp.asarray(y, dtype=jnp.float32)

    def logdensity(params):
        """Unnormalised log posterior of {intercept, slope, log_sigma}.

        Priors (weakly informative for data on this scale):
          intercept ~ Normal(0, 5), slope ~ Normal(0, 5), sigma ~ HalfNormal(2).
        sigma = exp(log_sigma), so the log-Jacobian log_sigma is added.
        """
        sigma = jnp.exp(params["log_sigma"])
        log_prior = (
            norm.logpdf(params["intercept"], 0.0, 5.0)
            + norm.logpdf(params["slope"], 0.0, 5.0)
            + norm.logpdf(sigma, 0.0, 2.0)  # half-normal up to a constant
            + params["log_sigma"]
        )
        mean = params["intercept"] + params["slope"] * x
        return log_prior + jnp.sum(norm.logpdf(y, mean, sigma))

    return logdensity


def run_chain(logdensity, rng_key):
    init_key, warmup_key, sample_key = jax.random.split(rng_key, 3)
    jitter = 0.1 * jax.random.normal(init_key, (3,))
    initial_position = {
        "intercept": jitter[0],
        "slope": jitter[1],
        "log_sigma": jitter[2],
    }

    warmup = blackjax.window_adaptation(blackjax.nuts, logdensity)
    (state, parameters), _ = warmup.run(warmup_key, initial_position, num_steps=N_WARMUP)
    nuts = blackjax.nuts(logdensity, **parameters)

    def one_step(state, key):
        state, _ = nuts.step(key, state)
        return state, state.position

    _, positions = jax.lax.scan(one_step, state, jax.random.split(sample_key, N_DRAWS))
    return positions  # dict: name -> array of N_DRAWS draws


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
    version = getattr(blackjax, "__version__", "unknown")
    if version.split(".")[0] == "0":
        print("This example needs BlackJAX 1.x; found %s, whose window_adaptation "
              "and nuts APIs differ." % version)
        return 1

    x, y = make_data(SEED)
    logdensity = make_logdensity(x, y)

    started = time.time()
    # The chains run one after the other, each with its own warm-up.
    chains = [run_chain(logdensity, key)
              for key in jax.random.split(jax.random.PRNGKey(SEED), N_CHAINS)]
    elapsed = time.time() - started

    def pooled(name):
        return np.concatenate([np.asarray(chain[name]) for chain in chains])

    print("BlackJAX %s: %d chains x %d draws (%d warm-up) in %.1f s"
          % (version, N_CHAINS, N_DRAWS, N_WARMUP, elapsed))
    means = {
        "intercept": float(np.mean(pooled("intercept"))),
        "slope": float(np.mean(pooled("slope"))),
        "sigma": float(np.mean(np.exp(pooled("log_sigma")))),
    }
    return check(means)


if __name__ == "__main__":
    sys.exit(main())
