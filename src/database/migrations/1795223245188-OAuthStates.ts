import { MigrationInterface, QueryRunner } from "typeorm";

export class OAuthStates1795223245188 implements MigrationInterface {
    name = 'OAuthStates1795223245188'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "oauth_states" ("state_hash" character(64) NOT NULL, "kind" character varying(32) NOT NULL, "user_id" uuid NOT NULL, "organisation_id" uuid NOT NULL, "project_id" uuid, "next_path" character varying(2048), "sealed_code_verifier" text, "data" jsonb NOT NULL DEFAULT '{}', "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "consumed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5defe4681c33ccfc0f935f51398" PRIMARY KEY ("state_hash"))`);
        await queryRunner.query(`CREATE INDEX "IDX_570fe1df341197ba96a80b1bbc" ON "oauth_states"  ("expires_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."IDX_570fe1df341197ba96a80b1bbc"`);
        await queryRunner.query(`DROP TABLE "oauth_states"`);
    }

}
