// The entry point of dist/pins.js: the pin commands (and the Nix parser they read files with),
// loaded on first use by commandTable.ts, not at activation.
export { checkPackages } from './check';
export { migrate } from './migrate';
export { updatePin } from './updatePin';
