// Type-checks the consumer app the way `tsc --noEmit -p tsconfig.declarations.json` does (cdk init's strict
// settings, skipLibCheck off), but reports only the app's files and the library's declarations: those are what the
// check is about, and skipping the checker's pass over every aws-cdk-lib and @types declaration halves its CPU.
// Run from the app directory; uses the app's own TypeScript.
const ts = require(require.resolve('typescript', { paths: [process.cwd()] }));

const host = {
  ...ts.sys,
  onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
    throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  },
};
const config = ts.getParsedCommandLineOfConfigFile('tsconfig.declarations.json', {}, host);
const program = ts.createProgram({ rootNames: config.fileNames, options: config.options });
const judged = program.getSourceFiles().filter((file) => !file.fileName.includes('/node_modules/')
  || file.fileName.includes('/node_modules/cdk-eks-fargate/'));
const diagnostics = [
  ...config.errors,
  ...program.getOptionsDiagnostics(),
  ...program.getGlobalDiagnostics(),
  ...judged.flatMap((file) => [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)]),
];
if (!judged.some((file) => file.fileName.includes('/node_modules/cdk-eks-fargate/'))) {
  console.error('consumer check: the program holds none of the library\'s declarations; is the app importing cdk-eks-fargate?');
  process.exit(1);
}
if (diagnostics.length > 0) {
  console.error(ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (fileName) => fileName,
    getCurrentDirectory: ts.sys.getCurrentDirectory,
    getNewLine: () => '\n',
  }));
  process.exit(1);
}
console.log(`${judged.length} files checked (the app and the library's declarations)`);
