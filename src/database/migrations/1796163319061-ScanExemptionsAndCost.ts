import { MigrationInterface, QueryRunner } from "typeorm";

export class ScanExemptionsAndCost1796163319061 implements MigrationInterface {
    name = 'ScanExemptionsAndCost1796163319061'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "github_scan_exemptions" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organization_id" uuid NOT NULL, "repo" character varying(255) NOT NULL, "check" character varying(64), "reason" text NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_364a3e9584fe0ad05efd7b455d0" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_github_scan_exemptions_org_repo" ON "github_scan_exemptions"  ("organization_id", "repo") `);
        await queryRunner.query(`ALTER TABLE "github_scans" ADD "github_cost" jsonb`);
        await queryRunner.query(`ALTER TABLE "github_scan_exemptions" ADD CONSTRAINT "FK_13b586e665be948cded93bd15f9" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "github_scan_exemptions" DROP CONSTRAINT "FK_13b586e665be948cded93bd15f9"`);
        await queryRunner.query(`ALTER TABLE "github_scans" DROP COLUMN "github_cost"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_github_scan_exemptions_org_repo"`);
        await queryRunner.query(`DROP TABLE "github_scan_exemptions"`);
    }

}
