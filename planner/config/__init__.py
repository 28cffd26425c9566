"""The publishing rules: pydantic model, YAML loading, cross-references."""

from planner.config.loading import LoadedConfig, load_config
from planner.config.model import Config

__all__ = ["Config", "LoadedConfig", "load_config"]
