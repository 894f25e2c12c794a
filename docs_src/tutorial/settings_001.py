from functools import lru_cache
from typing import Annotated

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from accord import Depends, FastAPI


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOOKSHOP_")

    shop_name: str = "The Corner Bookshop"
    free_shipping_from: float = 30.0
    payment_api_key: SecretStr = SecretStr("")


@lru_cache
def get_settings() -> Settings:
    return Settings()


SettingsDep = Annotated[Settings, Depends(get_settings)]
app = FastAPI(title="Bookshop")


@app.get("/shipping")
def shipping(total: float, settings: SettingsDep) -> dict[str, object]:
    free = total >= settings.free_shipping_from
    return {"shop": settings.shop_name, "free_shipping": free}


@app.get("/payments/status")
def payments_status(settings: SettingsDep) -> dict[str, bool]:
    return {"configured": bool(settings.payment_api_key.get_secret_value())}
