"""The Teams app's type and tenants as settings: a SingleTenant bot cannot start without
its tenant (MSAL would have no authority, and the bot would never reply); a MultiTenant
bot gets its tokens from the Bot Framework's tenant and answers the tenants listed."""

from __future__ import annotations

import pytest
from microsoft_agents.authentication.msal import MsalAuth

from bot.settings import SettingsError, load_settings
from handlers.teams.auth import configuration
from handlers.teams.wiring import tenants, token_tenant

APP = {"TEAMS_APP_ID": "3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "TEAMS_APP_PASSWORD": "pw"}


def authority(tenant: str) -> str:
    return MsalAuth._resolve_authority(configuration(APP["TEAMS_APP_ID"], "pw", tenant))


def test_a_single_tenant_bot_without_its_tenant_refuses_to_start_saying_where_to_find_it() -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(APP)
    said = str(refused.value)
    assert said.startswith("TEAMS_TENANT_ID is missing")
    assert "Directory (tenant) ID" in said and "TEAMS_APP_TYPE=MultiTenant" in said


def test_a_single_tenant_bot_takes_tokens_from_and_answers_its_own_tenant() -> None:
    settings = load_settings(APP | {"TEAMS_TENANT_ID": " tenant-hv "})
    assert settings.teams_app_type == "SingleTenant"
    assert token_tenant(settings) == "tenant-hv"
    assert tenants(settings) == {"tenant-hv"}
    assert authority(token_tenant(settings)) == "https://login.microsoftonline.com/tenant-hv"


def test_a_multi_tenant_bot_uses_the_bot_framework_authority_and_its_allow_list() -> None:
    env = APP | {"TEAMS_APP_TYPE": "multitenant", "TEAMS_ALLOWED_TENANTS": "t-1, t-2,t-1"}
    settings = load_settings(env)
    assert settings.teams_app_type == "MultiTenant"
    assert settings.teams_allowed_tenants == ("t-1", "t-2")
    assert tenants(settings) == {"t-1", "t-2"}
    assert authority(token_tenant(settings)) == "https://login.microsoftonline.com/botframework.com"
    anyone = load_settings(APP | {"TEAMS_APP_TYPE": "MultiTenant"})
    assert tenants(anyone) == frozenset()


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({"TEAMS_APP_TYPE": "Tenantless"}, "TEAMS_APP_TYPE must be SingleTenant or MultiTenant"),
        (
            {"TEAMS_TENANT_ID": "t", "TEAMS_ALLOWED_TENANTS": "t-2"},
            "TEAMS_ALLOWED_TENANTS is for TEAMS_APP_TYPE=MultiTenant",
        ),
        ({"TEAMS_TENANT_ID": "t", "TEAMS_EMULATOR": "1"}, "TEAMS_EMULATOR=1 is for trying"),
    ],
)
def test_teams_settings_that_cannot_work_are_refused_by_name(
    env: dict[str, str], said: str
) -> None:
    with pytest.raises(SettingsError, match=said):
        load_settings(APP | env)


def test_emulator_mode_serves_teams_without_an_app_id() -> None:
    settings = load_settings({"TEAMS_EMULATOR": "1"})
    assert settings.teams_emulator and settings.platforms == ("teams",)
    assert load_settings({}).platforms == ("web",)
