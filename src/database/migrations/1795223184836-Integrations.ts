import { MigrationInterface, QueryRunner } from "typeorm";

export class Integrations1795223184836 implements MigrationInterface {
    name = 'Integrations1795223184836'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "integrations" ("id" bigint NOT NULL, "organisation_id" uuid NOT NULL, "project_id" uuid, "provider" character varying(16) NOT NULL, "external_account_id" character varying(255) NOT NULL, "item_type" character varying(32) NOT NULL DEFAULT 'issue', "enabled" boolean NOT NULL DEFAULT true, "configuration" text NOT NULL DEFAULT '{}', "display_name" character varying(255) NOT NULL, "status" character varying(16) NOT NULL DEFAULT 'connected', "errors" text, "sealed_credentials" text, "credentials_expires_at" TIMESTAMP WITH TIME ZONE, "last_synced_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_9adcdc6d6f3922535361ce641e8" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_f3929690acb76a43723255c9e6" ON "integrations"  ("organisation_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_5c068b15f9890cb38cbe6404e3" ON "integrations"  ("provider", "external_account_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_integrations_workspace_account" ON "integrations"  ("organisation_id", "provider", "external_account_id") WHERE "project_id" IS NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_integrations_project_account" ON "integrations"  ("organisation_id", "provider", "external_account_id", "project_id") WHERE "project_id" IS NOT NULL`);
        await queryRunner.query(`ALTER TABLE "integrations" ADD CONSTRAINT "FK_f3929690acb76a43723255c9e68" FOREIGN KEY ("organisation_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "integrations" ADD CONSTRAINT "FK_12243f40cd3f2b20dd3009cca71" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "integrations" DROP CONSTRAINT "FK_12243f40cd3f2b20dd3009cca71"`);
        await queryRunner.query(`ALTER TABLE "integrations" DROP CONSTRAINT "FK_f3929690acb76a43723255c9e68"`);
        await queryRunner.query(`DROP INDEX "public"."UQ_integrations_project_account"`);
        await queryRunner.query(`DROP INDEX "public"."UQ_integrations_workspace_account"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_5c068b15f9890cb38cbe6404e3"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_f3929690acb76a43723255c9e6"`);
        await queryRunner.query(`DROP TABLE "integrations"`);
    }

}
