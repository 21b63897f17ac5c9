import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authz } from '../auth/authz.decorator';
import { Principal } from '../auth/principal';
import { CurrentPrincipal } from '../auth/principal.decorator';
import { MeDto } from './dto/user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('@me')
  @Authz({ scope: null })
  @ApiOperation({ description: 'Returns the calling user, the organizations they belong to with their role in each, and the scopes and pinned organization of the key used. Any valid key may call it.', summary: 'The calling user, their organizations and the scopes of the key' })
  @ApiOkResponse({ description: 'The caller', type: MeDto })
  getCurrentUser(@CurrentPrincipal() principal: Principal): MeDto | Promise<MeDto> {
    return this.users.me(principal);
  }
}
