"""Bayesian linear regression with emcee (affine-invariant ensemble MCMC).

What it shows: the model y ~ Normal(intercept + slope * x, sigma) written as a
plain NumPy log-posterior, sampled with emcee's EnsembleSampler, and a check
that the posterior means recover the values the synthetic data were made with.

Needs: emcee (3.x) and numpy; nothing else (no ArviZ, no plotting).
Run it inside the PPL Nix shell:

    python examples/emcee_linear_regression.py

It prints the posterior means and "OK: posterior means within tolerance"
(exit code 0), or says which value is off (exit code 1). Takes a few seconds.
Set PPL_NIX_EXAMPLE_SEED to try another data set / sampler seed.

API: emcee 3.1 (EnsembleSampler, run_mcmc(..., progress=False),
get_chain(discard=..., flat=True)); the same in every 3.1.x release that
nixpkgs ships (up to 3.1.6).
"""

import os
import sys
import time

import numpy as np
import emcee

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

N_WALKERS = 32
N_STEPS = 2000
N_BURN = 500  # discarded as warm-up (about 10 autocorrelation times here)


def make_data(seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, size=N_OBSERVATIONS)
    y = TRUE_INTERCEPT + TRUE_SLOPE * x + rng.normal(0.0, TRUE_SIGMA, size=N_OBSERVATIONS)
    return x, y


def log_posterior(theta, x, y):
    """Unnormalised log posterior of (intercept, slope, log_sigma).

    Priors (weakly informative for data on this scale):
      intercept ~ Normal(0, 5), slope ~ Normal(0, 5), sigma ~ HalfNormal(2).
    sigma is sampled on the log scale, so the log-Jacobian log(sigma) is added.
    """
    intercept, slope, log_sigma = theta
    sigma = np.exp(log_sigma)
    log_prior = (
        -0.5 * (intercept / 5.0) ** 2
        - 0.5 * (slope / 5.0) ** 2
        - 0.5 * (sigma / 2.0) ** 2
        + log_sigma  # Jacobian of sigma = exp(log_sigma)
    )
    residual = y - (intercept + slope * x)
    log_likelihood = -len(y) * log_sigma - 0.5 * np.sum((residual / sigma) ** 2)
    return log_prior + log_likelihood


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

    # emcee's sampler copies NumPy's global random state when it is created,
    # so seeding the global generator here makes the run reproducible.
    np.random.seed(SEED)
    rng = np.random.default_rng(SEED + 1)
    # Start the walkers in a small ball around a rough guess.
    start = np.array([0.0, 0.0, 0.0]) + 0.1 * rng.standard_normal((N_WALKERS, 3))

    sampler = emcee.EnsembleSampler(N_WALKERS, 3, log_posterior, args=(x, y))
    started = time.time()
    sampler.run_mcmc(start, N_STEPS, progress=False)
    elapsed = time.time() - started

    samples = sampler.get_chain(discard=N_BURN, flat=True)  # (draws, 3)
    sigma_draws = np.exp(samples[:, 2])
    print(
        "emcee %s: %d walkers x %d steps (%d discarded) in %.1f s, mean acceptance %.2f"
        % (emcee.__version__, N_WALKERS, N_STEPS, N_BURN, elapsed,
           float(np.mean(sampler.acceptance_fraction)))
    )
    means = {
        "intercept": float(np.mean(samples[:, 0])),
        "slope": float(np.mean(samples[:, 1])),
        "sigma": float(np.mean(sigma_draws)),
    }
    return check(means)


if __name__ == "__main__":
    sys.exit(main())
