import { MigrationInterface, QueryRunner } from "typeorm";

export class Scan1795224569125 implements MigrationInterface {
    name = 'Scan1795224569125'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "github_scan_baselines" ("organisation_id" uuid NOT NULL, "baseline" jsonb NOT NULL, "updated_by" uuid, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_972241c13225e63d143402980c6" PRIMARY KEY ("organisation_id"))`);
        await queryRunner.query(`CREATE TABLE "github_scans" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "status" character varying(16) NOT NULL, "installation_ids" jsonb NOT NULL, "baseline" jsonb NOT NULL, "checkpoint" jsonb, "repos_total" integer NOT NULL DEFAULT '0', "repos_scanned" integer NOT NULL DEFAULT '0', "github_requests" integer NOT NULL DEFAULT '0', "error" text, "lease_owner" character varying(64), "lease_until" TIMESTAMP WITH TIME ZONE, "created_by" uuid, "started_at" TIMESTAMP WITH TIME ZONE, "finished_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_0d4a7b4dc3c6f98e1a2a29be177" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_github_scans_org_created" ON "github_scans"  ("organisation_id", "created_at") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_github_scans_one_running" ON "github_scans"  ("organisation_id") WHERE status IN ('queued', 'scanning')`);
        await queryRunner.query(`CREATE TABLE "github_scan_results" ("scan_id" uuid NOT NULL, "repository_id" bigint NOT NULL, "repo" character varying(255) NOT NULL, "installation_id" bigint NOT NULL, "status" character varying(16) NOT NULL, "snapshot" jsonb NOT NULL, "findings" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_1bf4b1981d7706b062829bba9a6" PRIMARY KEY ("scan_id", "repository_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_github_scan_results_scan_repo" ON "github_scan_results"  ("scan_id", "repo") `);
        await queryRunner.query(`ALTER TABLE "github_scan_baselines" ADD CONSTRAINT "FK_972241c13225e63d143402980c6" FOREIGN KEY ("organisation_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "github_scans" ADD CONSTRAINT "FK_6fd1ea7467b305304755e4bfacf" FOREIGN KEY ("organisation_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "github_scan_results" ADD CONSTRAINT "FK_57d7fdf1113c3ffe138531fd946" FOREIGN KEY ("scan_id") REFERENCES "github_scans"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "github_scan_results" DROP CONSTRAINT "FK_57d7fdf1113c3ffe138531fd946"`);
        await queryRunner.query(`ALTER TABLE "github_scans" DROP CONSTRAINT "FK_6fd1ea7467b305304755e4bfacf"`);
        await queryRunner.query(`ALTER TABLE "github_scan_baselines" DROP CONSTRAINT "FK_972241c13225e63d143402980c6"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_github_scan_results_scan_repo"`);
        await queryRunner.query(`DROP TABLE "github_scan_results"`);
        await queryRunner.query(`DROP INDEX "public"."UQ_github_scans_one_running"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_github_scans_org_created"`);
        await queryRunner.query(`DROP TABLE "github_scans"`);
        await queryRunner.query(`DROP TABLE "github_scan_baselines"`);
    }

}
