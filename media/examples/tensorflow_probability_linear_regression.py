"""Bayesian linear regression with TensorFlow Probability.

What it shows: the model y ~ Normal(intercept + slope * x, sigma) as a
tfd.JointDistributionNamed, sampled with TFP's windowed-adaptive NUTS
(step size and diagonal mass matrix tuned as in Stan), and a check that the
posterior means recover the values the synthetic data were made with.

Needs: tensorflow-probability (which brings tensorflow and numpy). No ArviZ
needed. Run it inside the PPL Nix shell:

    python examples/tensorflow_probability_linear_regression.py

It prints the posterior means and "OK: posterior means within tolerance"
(exit code 0), or says which value is off (exit code 1). Takes some seconds
to half a minute, most of it building the TensorFlow graph. TensorFlow's
start-up log lines on stderr are harmless.
Set PPL_NIX_EXAMPLE_SEED to try another data set / sampler seed.

API: tfp.experimental.mcmc.windowed_adaptive_nuts(n_draws, joint_dist, *,
n_chains=..., num_adaptation_steps=..., seed=..., **pins) has this signature
in every TFP 0.2x that nixpkgs ships ("experimental" in name only).
It returns StatesAndTrace; .all_states has the structure of the joint
distribution (here a dict) with arrays of shape [n_draws, n_chains]. TFP's
own tests call it the same way, inside tf.function with the observed
values passed as keyword "pins".
The seed is a stateless int32[2] seed, so the run is reproducible.
"""

import os
import sys
import time
from collections.abc import Mapping

import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

tfd = tfp.distributions

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
N_ADAPT = 500
N_DRAWS = 500


def make_data(seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2.0, 2.0, size=N_OBSERVATIONS)
    y = TRUE_INTERCEPT + TRUE_SLOPE * x + rng.normal(0.0, TRUE_SIGMA, size=N_OBSERVATIONS)
    return x, y


def make_model(x):
    x = tf.constant(x, dtype=tf.float32)
    # Weakly informative priors for data on this scale. The parameters get a
    # leading chain dimension while sampling, hence the [..., tf.newaxis].
    return tfd.JointDistributionNamed(dict(
        intercept=tfd.Normal(loc=0.0, scale=5.0),
        slope=tfd.Normal(loc=0.0, scale=5.0),
        sigma=tfd.HalfNormal(scale=2.0),
        y=lambda intercept, slope, sigma: tfd.Independent(
            tfd.Normal(
                loc=intercept[..., tf.newaxis] + slope[..., tf.newaxis] * x,
                scale=sigma[..., tf.newaxis],
            ),
            reinterpreted_batch_ndims=1,
        ),
    ))


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
    model = make_model(x)
    y_obs = tf.constant(y, dtype=tf.float32)

    # Running the sampler inside tf.function builds one graph instead of
    # executing thousands of small eager steps.
    @tf.function(autograph=False)
    def run(seed):
        return tfp.experimental.mcmc.windowed_adaptive_nuts(
            N_DRAWS,
            model,
            n_chains=N_CHAINS,
            num_adaptation_steps=N_ADAPT,
            seed=seed,
            y=y_obs,  # condition ("pin") the model on the observations
        )

    started = time.time()
    result = run(tf.constant([SEED, 0], dtype=tf.int32))
    elapsed = time.time() - started

    draws = result.all_states  # name -> [N_DRAWS, N_CHAINS]

    def draws_of(name):
        # A dict for JointDistributionNamed; the getattr fallback also covers
        # the StructTuple that other joint distributions return.
        return draws[name] if isinstance(draws, Mapping) else getattr(draws, name)

    print("TensorFlow Probability %s (TensorFlow %s): %d chains x %d draws "
          "(%d adaptation) in %.1f s"
          % (tfp.__version__, tf.__version__, N_CHAINS, N_DRAWS, N_ADAPT, elapsed))
    means = {
        name: float(np.mean(np.asarray(draws_of(name))))
        for name in ("intercept", "slope", "sigma")
    }
    return check(means)


if __name__ == "__main__":
    sys.exit(main())
