import { type Command, InvalidArgumentError, Option } from 'commander'
import { attributePathCsv, type PathCsvResult } from '../domain/attribution/path-csv.ts'
import { type PathModel, pathModels } from '../domain/attribution/paths.ts'
import { separatorOption } from './options.ts'

interface AttributionFlags {
  sep?: string
  pathCol?: string
  conversionsCol?: string
  valueCol?: string
  nullCol?: string
  model: PathModel | 'all'
  json: boolean
}

const parseSeparator = separatorOption(['>'])

function parseColumn(value: string): string {
  const name = value.trim()
  if (name === '') throw new InvalidArgumentError('a column name')
  return name
}

const format = (value: number, digits: number) =>
  value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })

/** The JSON of the issue: models, then the totals; removal effects and Shapley values when run. */
export function toJson(result: PathCsvResult) {
  return {
    models: result.models,
    totalConversions: result.totalConversions,
    totalValue: result.totalValue,
    ...(result.weights.markov ? { removalEffects: result.weights.markov } : {}),
    ...(result.weights.shapley
      ? { shapleyValues: result.weights.shapley, shapleyMethod: result.shapleyMethod }
      : {}),
  }
}

/** The table printed without --json: one row per channel, one column per model. */
export function formatAttribution(result: PathCsvResult): string {
  const models = Object.keys(result.models) as PathModel[]
  const channels = Object.keys(result.models[models[0] as PathModel] ?? {})
  const width = Math.max(7, ...channels.map((channel) => channel.length))
  const columns = models.map((model) => Math.max(model.length, 12))
  const row = (first: string, cells: string[]) =>
    [first.padEnd(width), ...cells.map((cell, i) => cell.padStart(columns[i] ?? 12))].join('  ')
  const table = (what: 'conversions' | 'value') => [
    row(what === 'conversions' ? 'conversions' : 'value', models),
    ...channels.map((channel) =>
      row(
        channel,
        models.map((model) => format(result.models[model]?.[channel]?.[what] ?? 0, 2)),
      ),
    ),
    row(
      'total',
      models.map(() =>
        format(what === 'conversions' ? result.totalConversions : result.totalValue, 2),
      ),
    ),
  ]
  const lines = [
    `${result.paths.toLocaleString('en')} paths, ${channels.length} channels, ${format(result.totalConversions, 0)} conversions`,
    '',
    ...table('conversions'),
    '',
    ...table('value'),
  ]
  if (result.shapleyMethod === 'sampled') {
    lines.push('', 'Shapley sampled (more than 16 channels): seed 0, 10,000 random orders')
  }
  return `${lines.join('\n')}\n`
}

/** `tandem attribution`: attribution of path data from outside Tandem (docs/attribution-cli.md). */
export function registerAttributionCommand(program: Command) {
  program
    .command('attribution')
    .description(
      'Attribute journeys given as channel paths (ChannelAttribution format) to channels',
    )
    .argument('<paths.csv>', 'one path per row: channels joined with ">" and their counts')
    .option('--sep <char>', 'field separator (default: detected from the header)', parseSeparator)
    .option('--path-col <name>', 'the column of paths (default path)', parseColumn)
    .option(
      '--conversions-col <name>',
      'conversions per path (default total_conversions)',
      parseColumn,
    )
    .option(
      '--value-col <name>',
      'conversion value per path (default total_conversion_value; 0 if absent)',
      parseColumn,
    )
    .option(
      '--null-col <name>',
      'non-converting journeys per path (default total_null; 0 if absent)',
      parseColumn,
    )
    .addOption(
      new Option('--model <model>', 'one model, or all of them')
        .choices([...pathModels, 'all'])
        .default('all'),
    )
    .option('--json', 'print one JSON object instead of tables', false)
    .action(async (file: string, flags: AttributionFlags) => {
      try {
        const result = await attributePathCsv(
          file,
          {
            sep: flags.sep,
            pathCol: flags.pathCol,
            conversionsCol: flags.conversionsCol,
            valueCol: flags.valueCol,
            nullCol: flags.nullCol,
            models: flags.model === 'all' ? pathModels : [flags.model],
          },
          (warning) => process.stderr.write(`warning: ${warning}\n`),
        )
        process.stdout.write(
          flags.json ? `${JSON.stringify(toJson(result))}\n` : formatAttribution(result),
        )
      } catch (error) {
        process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`)
        process.exitCode = 1
      }
    })
}
