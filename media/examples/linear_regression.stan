// Bayesian linear regression, used by cmdstanpy_linear_regression.py.
// y ~ normal(intercept + slope * x, sigma) with weakly informative priors.
// Written in the current Stan syntax (no deprecated array or <- forms), valid
// for every CmdStan that nixpkgs ships (2.33 and later).
data {
  int<lower=0> N;
  vector[N] x;
  vector[N] y;
}
parameters {
  real intercept;
  real slope;
  real<lower=0> sigma;
}
model {
  intercept ~ normal(0, 5);
  slope ~ normal(0, 5);
  sigma ~ normal(0, 2);  // half-normal, because sigma is declared <lower=0>
  y ~ normal(intercept + slope * x, sigma);
}
