// Every command id PPL Nix contributes, in one table that every module imports (core code
// that needs an id gets it as a parameter). package.json's contributes.commands must list
// exactly these (a unit test compares them); src/commandTable.ts gives each its handler.
export const COMMANDS = {
  createShell: 'pplNix.createShell',
  selectEnvironment: 'pplNix.selectEnvironment',
  reloadEnvironment: 'pplNix.reloadEnvironment',
  openTerminal: 'pplNix.openTerminal',
  checkAvailability: 'pplNix.checkAvailability',
  updatePin: 'pplNix.updatePin',
  migrate: 'pplNix.migrate',
  restartLanguageServers: 'pplNix.restartLanguageServers',
  showLog: 'pplNix.showLog',
  addExampleModel: 'pplNix.addExampleModel',
  runExample: 'pplNix.runExample',
  checkNix: 'pplNix.checkNix',
} as const;

export type CommandId = (typeof COMMANDS)[keyof typeof COMMANDS];

/** VS Code's own commands PPL Nix runs (not ours: listed so their ids are written once too). */
export const WORKBENCH = {
  manageTrust: 'workbench.trust.manage',
  openSettings: 'workbench.action.openSettings',
} as const;
