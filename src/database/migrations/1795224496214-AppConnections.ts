import { MigrationInterface, QueryRunner } from "typeorm";

export class AppConnections1795224496214 implements MigrationInterface {
    name = 'AppConnections1795224496214'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "app_connections" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "project_id" uuid, "name" character varying(64) NOT NULL, "description" character varying(256), "app" character varying(32) NOT NULL, "method" character varying(32) NOT NULL, "version" integer NOT NULL DEFAULT '1', "is_platform_managed_credentials" boolean NOT NULL DEFAULT false, "gateway_id" uuid, "credentials_hash" character varying(64) NOT NULL, "sealed_credentials" text NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b7c540193e499c51f5fe2c398af" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_0393cdc2f947a6dd53ad89a30c" ON "app_connections"  ("organisation_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_app_connections_org_name" ON "app_connections"  ("organisation_id", "name") WHERE "project_id" IS NULL`);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_app_connections_project_name" ON "app_connections"  ("organisation_id", "project_id", "name") WHERE "project_id" IS NOT NULL`);
        await queryRunner.query(`CREATE TABLE "server_secrets" ("name" character varying(64) NOT NULL, "sealed_value" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_776280895f188bb4dd7028779cd" PRIMARY KEY ("name"))`);
        await queryRunner.query(`CREATE TABLE "audit_log" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "actor_user_id" uuid NOT NULL, "key_id" character varying(64), "action" character varying(64) NOT NULL, "target" character varying(255) NOT NULL, "request_id" character varying(128), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_07fefa57f7f5ab8fc3f52b3ed0b" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_54a12b2bb069298a14966e70e4" ON "audit_log"  ("organisation_id", "created_at") `);
        await queryRunner.query(`ALTER TABLE "app_connections" ADD CONSTRAINT "FK_0393cdc2f947a6dd53ad89a30c6" FOREIGN KEY ("organisation_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "app_connections" ADD CONSTRAINT "FK_8d46ea708306d852436d0b58043" FOREIGN KEY ("project_id") REFERENCES "projects"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "audit_log" ADD CONSTRAINT "FK_448219bce16107509225c8f6d1e" FOREIGN KEY ("organisation_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "audit_log" DROP CONSTRAINT "FK_448219bce16107509225c8f6d1e"`);
        await queryRunner.query(`ALTER TABLE "app_connections" DROP CONSTRAINT "FK_8d46ea708306d852436d0b58043"`);
        await queryRunner.query(`ALTER TABLE "app_connections" DROP CONSTRAINT "FK_0393cdc2f947a6dd53ad89a30c6"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_54a12b2bb069298a14966e70e4"`);
        await queryRunner.query(`DROP TABLE "audit_log"`);
        await queryRunner.query(`DROP TABLE "server_secrets"`);
        await queryRunner.query(`DROP INDEX "public"."UQ_app_connections_project_name"`);
        await queryRunner.query(`DROP INDEX "public"."UQ_app_connections_org_name"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_0393cdc2f947a6dd53ad89a30c"`);
        await queryRunner.query(`DROP TABLE "app_connections"`);
    }

}
