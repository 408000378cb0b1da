"""Bayesian linear regression with Bambi (formula interface on top of PyMC).

What it shows: the model y ~ Normal(Intercept + x * slope, sigma) written as
the formula "y ~ x" with explicit priors, fitted with Bambi's default PyMC
NUTS sampler, summarised with ArviZ, and a check that the posterior means
recover the values the synthetic data were made with.

Needs: bambi (which brings pymc, arviz, formulae, pandas and numpy).
Run it inside the PPL Nix shell:

    python examples/bambi_linear_regression.py

It prints an ArviZ summary, the posterior means and
"OK: posterior means within tolerance" (exit code 0), or says which value
is off (exit code 1). Takes well under a minute once PyTensor has compiled
the model. Set PPL_NIX_EXAMPLE_SEED to try another data set / sampler seed.

API notes (Bambi 0.13 to 0.18): Model(formula, data, priors=...) and
Model.fit(draws=..., tune=..., chains=..., cores=..., random_seed=...) are
the same throughout. The noise parameter is stored in the posterior as
"y_sigma" by older releases (0.13) and as "sigma" by newer ones, which
dropped the response-name prefix; the script accepts either. Its prior is
set under the key "sigma" in all of them. fit returns ArviZ InferenceData
(PyMC 5) or an xarray DataTree (Bambi 0.18 with PyMC 6); both are read as
idata.posterior[name]. The reported "Intercept" is on the scale of the
original x, even though Bambi centres x internally.
"""

import os
import sys
import time

import numpy as np
import pandas as pd
import arviz as az
import bambi as bmb

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


def first_present(posterior, names):
    """Return the first of `names` that is a variable of the posterior group."""
    for name in names:
        if name in posterior:
            return name
    raise KeyError("none of %s in the posterior" % ", ".join(names))


def main():
    x, y = make_data(SEED)
    data = pd.DataFrame({"x": x, "y": y})

    # Weakly informative priors for data on this scale (set explicitly so the
    # model matches the other examples instead of Bambi's automatic priors).
    priors = {
        "Intercept": bmb.Prior("Normal", mu=0.0, sigma=5.0),
        "x": bmb.Prior("Normal", mu=0.0, sigma=5.0),
        "sigma": bmb.Prior("HalfNormal", sigma=2.0),
    }
    model = bmb.Model("y ~ x", data, priors=priors)

    started = time.time()
    # cores=1 runs the chains one after the other in this process:
    # multiprocess sampling can fail in restricted shells and sandboxes.
    idata = model.fit(
        draws=N_DRAWS,
        tune=N_TUNE,
        chains=N_CHAINS,
        cores=1,
        random_seed=SEED,
    )
    elapsed = time.time() - started

    posterior = idata.posterior
    names = {
        "intercept": "Intercept",
        "slope": "x",
        "sigma": first_present(posterior, ["sigma", "y_sigma"]),
    }
    print("Bambi %s: %d chains x %d draws (%d tuning) in %.1f s"
          % (getattr(bmb, "__version__", "?"), N_CHAINS, N_DRAWS, N_TUNE, elapsed))
    print(az.summary(idata, var_names=list(names.values())))

    means = {key: float(posterior[name].values.mean()) for key, name in names.items()}
    return check(means)


if __name__ == "__main__":
    sys.exit(main())
