import { MigrationInterface, QueryRunner } from "typeorm";

export class PoliciesAndSyncMetadata1795223561204 implements MigrationInterface {
    name = 'PoliciesAndSyncMetadata1795223561204'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "policies" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "name" character varying(200) NOT NULL, "provider" character varying(16) NOT NULL, "integration_id" bigint, "check_id" character varying(64), "action_id" character varying(64), "config" jsonb NOT NULL DEFAULT '{}', "enabled" boolean NOT NULL DEFAULT true, "disabled_reason" text, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_603e09f183df0108d8695c57e28" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_e78b671983af641d388db42c7a" ON "policies"  ("organisation_id") `);
        await queryRunner.query(`CREATE INDEX "IDX_f2570ba0a7e671b6fca267e916" ON "policies"  ("integration_id") `);
        await queryRunner.query(`ALTER TABLE "integrations" ADD "metadata" jsonb NOT NULL DEFAULT '{}'`);
        await queryRunner.query(`ALTER TABLE "policies" ADD CONSTRAINT "FK_e78b671983af641d388db42c7a5" FOREIGN KEY ("organisation_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "policies" ADD CONSTRAINT "FK_f2570ba0a7e671b6fca267e9161" FOREIGN KEY ("integration_id") REFERENCES "integrations"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "policies" DROP CONSTRAINT "FK_f2570ba0a7e671b6fca267e9161"`);
        await queryRunner.query(`ALTER TABLE "policies" DROP CONSTRAINT "FK_e78b671983af641d388db42c7a5"`);
        await queryRunner.query(`ALTER TABLE "integrations" DROP COLUMN "metadata"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_f2570ba0a7e671b6fca267e916"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_e78b671983af641d388db42c7a"`);
        await queryRunner.query(`DROP TABLE "policies"`);
    }

}
