import { Stack } from 'aws-cdk-lib';
import * as glue from 'aws-cdk-lib/aws-glue';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { SNAPSHOT_PREFIXES } from './snapshot-bucket.js';

export interface SectionLinesTableProps {
  readonly bucket: s3.IBucket;
  /** Glue database name (lowercase letters, digits and underscores, as Athena wants them). */
  readonly databaseName: string;
}

/** The section line's fields (docs/data-model.md) as table columns; series and edition are the partition keys. */
export const SECTION_LINE_COLUMNS: readonly glue.CfnTable.ColumnProperty[] = [
  { name: 'page', type: 'string', comment: 'page id' },
  { name: 'url', type: 'string' },
  { name: 'documenthash', type: 'string', comment: 'sha256 of the Document (its docs/ key)' },
  { name: 'key', type: 'string', comment: 'section key: the normalised heading path' },
  { name: 'heading', type: 'string' },
  { name: 'number', type: 'string', comment: 'outline number as printed, or null' },
  { name: 'level', type: 'int' },
  { name: 'parentkey', type: 'string' },
  { name: 'wordcount', type: 'int', comment: "words of the section's own paragraphs" },
  { name: 'text', type: 'string', comment: 'paragraphs joined with newlines' },
];

export const SECTION_LINES_TABLE = 'sections';

/**
 * A Glue database and an external table over the section lines the diff function already writes
 * (`sections/series=<series with / as ~>/edition=<year>/<page>.jsonl`, one JSON line per section of the latest
 * capture of each page), so analysts can query every captured section with Athena. Nothing is copied: the table is
 * a schema over the objects. Partitions are Hive-style; new series and editions are picked up by
 * `MSCK REPAIR TABLE sections` (docs/edition-report.md).
 */
export class SectionLinesTable extends Construct {
  readonly database: glue.CfnDatabase;
  readonly table: glue.CfnTable;

  constructor(scope: Construct, id: string, props: SectionLinesTableProps) {
    super(scope, id);
    const catalogId = Stack.of(this).account;
    this.database = new glue.CfnDatabase(this, 'Database', {
      catalogId,
      databaseInput: { name: props.databaseName, description: 'redline: section lines of every captured page, for Athena' },
    });
    this.table = new glue.CfnTable(this, 'Table', {
      catalogId,
      databaseName: props.databaseName,
      tableInput: {
        name: SECTION_LINES_TABLE,
        description: 'One row per section of the latest capture of each page (sections/ in the snapshot bucket)',
        tableType: 'EXTERNAL_TABLE',
        parameters: { classification: 'json', EXTERNAL: 'TRUE' },
        partitionKeys: [
          { name: 'series', type: 'string', comment: "series with '/' as '~' (hrr~kazakhstan)" },
          { name: 'edition', type: 'int' },
        ],
        storageDescriptor: {
          columns: [...SECTION_LINE_COLUMNS],
          location: `s3://${props.bucket.bucketName}/${SNAPSHOT_PREFIXES.sections}`,
          inputFormat: 'org.apache.hadoop.mapred.TextInputFormat',
          outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
          serdeInfo: {
            serializationLibrary: 'org.openx.data.jsonserde.JsonSerDe',
            // The lines' camelCase fields map to the lowercase columns; a malformed line is read as nulls, not an error.
            parameters: { 'case.insensitive': 'TRUE', 'ignore.malformed.json': 'TRUE' },
          },
        },
      },
    });
    this.table.addResourceDependency(this.database);
  }
}
