import { MigrationInterface, QueryRunner } from "typeorm";

export class Github1795223633684 implements MigrationInterface {
    name = 'Github1795223633684'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "github_installations" ("installation_id" bigint NOT NULL, "organisation_id" uuid NOT NULL, "account_login" character varying(255) NOT NULL, "account_id" bigint NOT NULL, "account_type" character varying(32) NOT NULL, "repository_selection" character varying(16) NOT NULL, "suspended_at" TIMESTAMP WITH TIME ZONE, "deleted_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_d8cf6fe9f15e1d47483d42f8bc9" PRIMARY KEY ("installation_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_6547b21ad03efe7d4d842e52b2" ON "github_installations"  ("organisation_id") `);
        await queryRunner.query(`CREATE TABLE "github_user_links" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "organisation_id" uuid NOT NULL, "user_id" uuid NOT NULL, "github_user_id" bigint NOT NULL, "github_login" character varying(255) NOT NULL, "sealed_user_token" text, "user_token_expires_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_035d5633c3e40ada280edbebc56" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_4d411d2e4680cd638581962e2c" ON "github_user_links"  ("github_user_id") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "UQ_github_user_links_org_user" ON "github_user_links"  ("organisation_id", "user_id") `);
        await queryRunner.query(`CREATE TABLE "github_webhook_deliveries" ("delivery_id" character varying(64) NOT NULL, "event" character varying(64) NOT NULL, "action" character varying(64), "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "processed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_f4d16026490647e7eede5bdca1d" PRIMARY KEY ("delivery_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_4634dc35aee8812befad45e516" ON "github_webhook_deliveries"  ("received_at") `);
        await queryRunner.query(`ALTER TABLE "github_installations" ADD CONSTRAINT "FK_6547b21ad03efe7d4d842e52b2d" FOREIGN KEY ("organisation_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "github_user_links" ADD CONSTRAINT "FK_6ef04581fbf8c668d087ed406d9" FOREIGN KEY ("organisation_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "github_user_links" ADD CONSTRAINT "FK_eaa7a7cc9bdce1d778f2a5134c1" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "github_user_links" DROP CONSTRAINT "FK_eaa7a7cc9bdce1d778f2a5134c1"`);
        await queryRunner.query(`ALTER TABLE "github_user_links" DROP CONSTRAINT "FK_6ef04581fbf8c668d087ed406d9"`);
        await queryRunner.query(`ALTER TABLE "github_installations" DROP CONSTRAINT "FK_6547b21ad03efe7d4d842e52b2d"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_4634dc35aee8812befad45e516"`);
        await queryRunner.query(`DROP TABLE "github_webhook_deliveries"`);
        await queryRunner.query(`DROP INDEX "public"."UQ_github_user_links_org_user"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_4d411d2e4680cd638581962e2c"`);
        await queryRunner.query(`DROP TABLE "github_user_links"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_6547b21ad03efe7d4d842e52b2"`);
        await queryRunner.query(`DROP TABLE "github_installations"`);
    }

}
