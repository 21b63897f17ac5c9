import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = [
  'integrations',
  'oauth_states',
  'policies',
  'github_installations',
  'github_user_links',
  'app_connections',
  'audit_log',
  'github_scan_baselines',
  'github_scans',
];

/** TypeORM derives these names from the column name: [old, new]. */
const INDEXES: Array<[string, string]> = [
  ['IDX_54a12b2bb069298a14966e70e4', 'IDX_047babf51ab729f0a6843540eb'],
  ['IDX_6547b21ad03efe7d4d842e52b2', 'IDX_06c962eccd9978ec20ff61d5c4'],
  ['IDX_f3929690acb76a43723255c9e6', 'IDX_2b83d3671eccf9da46693130ce'],
  ['IDX_e78b671983af641d388db42c7a', 'IDX_99014cc37299138c942ad2db5b'],
  ['IDX_0393cdc2f947a6dd53ad89a30c', 'IDX_e3c09c261817cc7b5bd316602b'],
];

const FOREIGN_KEYS: Array<[table: string, old: string, renamed: string]> = [
  ['audit_log', 'FK_448219bce16107509225c8f6d1e', 'FK_b75d568c6c9a9a8b44be80223dc'],
  ['github_user_links', 'FK_6ef04581fbf8c668d087ed406d9', 'FK_8f89e8dedf308b9660ee1076c04'],
  ['github_installations', 'FK_6547b21ad03efe7d4d842e52b2d', 'FK_06c962eccd9978ec20ff61d5c4a'],
  ['integrations', 'FK_f3929690acb76a43723255c9e68', 'FK_2b83d3671eccf9da46693130ced'],
  ['policies', 'FK_e78b671983af641d388db42c7a5', 'FK_99014cc37299138c942ad2db5b0'],
  ['app_connections', 'FK_0393cdc2f947a6dd53ad89a30c6', 'FK_e3c09c261817cc7b5bd316602b2'],
  ['github_scan_baselines', 'FK_972241c13225e63d143402980c6', 'FK_f13db776ef1cc561f93bc1f1df4'],
  ['github_scans', 'FK_6fd1ea7467b305304755e4bfacf', 'FK_bf8179d5a924ee9d38497d31a9a'],
];

/** One spelling: `organisation_id` becomes `organization_id`; rows, indexes and constraints are renamed in place, not rebuilt. */
export class OrganizationSpelling1796160665334 implements MigrationInterface {
  name = 'OrganizationSpelling1796160665334';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.query(`ALTER TABLE "${table}" RENAME COLUMN "organisation_id" TO "organization_id"`);
    for (const [old, renamed] of INDEXES) await queryRunner.query(`ALTER INDEX "public"."${old}" RENAME TO "${renamed}"`);
    for (const [table, old, renamed] of FOREIGN_KEYS) await queryRunner.query(`ALTER TABLE "${table}" RENAME CONSTRAINT "${old}" TO "${renamed}"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table, old, renamed] of FOREIGN_KEYS) await queryRunner.query(`ALTER TABLE "${table}" RENAME CONSTRAINT "${renamed}" TO "${old}"`);
    for (const [old, renamed] of INDEXES) await queryRunner.query(`ALTER INDEX "public"."${renamed}" RENAME TO "${old}"`);
    for (const table of TABLES) await queryRunner.query(`ALTER TABLE "${table}" RENAME COLUMN "organization_id" TO "organisation_id"`);
  }
}
