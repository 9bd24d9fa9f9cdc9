import path from 'node:path'
import { performance } from 'node:perf_hooks'
import { type Command, InvalidArgumentError, Option } from 'commander'
import { type Evaluation, evaluateCsv } from '../domain/predictive/evaluate.ts'
import { separatorOption } from './options.ts'

interface EvaluateFlags {
  target: string
  positive?: string
  sep: string
  drop: string[]
  missing: string[]
  split: 'mod5'
  json: boolean
}

const parseSeparator = separatorOption([])

function parseList(value: string, previous: string[]): string[] {
  const names = value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '')
  if (names.length === 0)
    throw new InvalidArgumentError('one or more column names, comma-separated')
  return [...previous, ...names]
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value]
}

const number = (value: number) => value.toLocaleString('en')

/** The human-readable summary printed without --json. */
export function formatEvaluation(file: string, result: Evaluation, seconds: number): string {
  const rows = [
    `${path.basename(file)}: ${number(result.rows)} rows, ${number(result.positives)} positive`,
    `split mod5: ${number(result.train)} training rows, ${number(result.test)} test rows (${number(
      result.testPositives,
    )} positive)`,
    '',
    'learner    AUC on the test rows',
    `logistic   ${result.models.logistic.auc.toFixed(4)}`,
    `gbm        ${result.models.gbm.auc.toFixed(4)}`,
    '',
    `(${seconds.toFixed(1)} s; AUC 0.5 = random order, 1 = every positive ranked above every negative)`,
  ]
  return `${rows.join('\n')}\n`
}

/** `tandem model evaluate`: the offline evaluator of both learners on any CSV (docs/predictive-evaluator.md). */
export function registerModelCommand(program: Command) {
  const model = program
    .command('model')
    .description('Predictive models: evaluate learners on any CSV')
  model
    .command('evaluate')
    .description(
      'Train logistic regression and gradient-boosted trees on a CSV and print their test AUC',
    )
    .argument('<file.csv>', 'the data, with a header row')
    .requiredOption('--target <column>', 'the column to predict')
    .option(
      '--positive <value>',
      'the target value that counts as positive (default: any of 1, yes, true)',
    )
    .option('--sep <char>', 'field separator (\\t for tab)', parseSeparator, ',')
    .option('--drop <columns>', 'columns to leave out, comma-separated', parseList, [])
    .option('--missing <token>', 'a value that means missing (repeatable)', collect, [])
    .addOption(
      new Option('--split <how>', 'mod5: data row i is a test row iff i % 5 == 4')
        .choices(['mod5'])
        .makeOptionMandatory(),
    )
    .option('--json', 'print one JSON object instead of a table', false)
    .action(async (file: string, flags: EvaluateFlags) => {
      const started = performance.now()
      try {
        const result = await evaluateCsv(
          file,
          {
            target: flags.target,
            positive: flags.positive,
            sep: flags.sep,
            drop: flags.drop,
            missing: flags.missing,
            split: flags.split,
          },
          (warning) => process.stderr.write(`warning: ${warning}\n`),
        )
        const seconds = (performance.now() - started) / 1000
        process.stdout.write(
          flags.json ? `${JSON.stringify(result)}\n` : formatEvaluation(file, result, seconds),
        )
      } catch (error) {
        process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`)
        process.exitCode = 1
      }
    })
}
