// Bundles the extension (dist/extension.js, with vscode-languageclient inside) or, with --tests, each unit test
// (out/test/unit/*.test.js) for Node's test runner. --production minifies and drops the source map.
import { build } from 'esbuild';
import { readdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const tests = process.argv.includes('--tests');
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' };

if (tests) {
    const entryPoints = readdirSync('test/unit').filter(name => name.endsWith('.test.ts')).map(name => `test/unit/${name}`);
    await build({ ...common, entryPoints, outdir: 'out/test/unit', sourcemap: 'inline' });
} else {
    await build({
        ...common,
        entryPoints: ['src/extension.ts'],
        outfile: 'dist/extension.js',
        external: ['vscode'],
        minify: production,
        sourcemap: !production,
    });
}
