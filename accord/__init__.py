"""Accord: type hints are the contract. FastAPI's programming model, compiled once per route."""

from accord import status as status
from accord.applications import Accord as Accord
from accord.applications import FastAPI as FastAPI
from accord.background import BackgroundTasks as BackgroundTasks
from accord.datastructures import UploadFile as UploadFile
from accord.exceptions import HTTPException as HTTPException
from accord.exceptions import WebSocketException as WebSocketException
from accord.param_functions import Body as Body
from accord.param_functions import Cookie as Cookie
from accord.param_functions import Depends as Depends
from accord.param_functions import File as File
from accord.param_functions import Form as Form
from accord.param_functions import Header as Header
from accord.param_functions import Path as Path
from accord.param_functions import Query as Query
from accord.param_functions import Security as Security
from accord.requests import Request as Request
from accord.responses import Response as Response
from accord.routing import APIRouter as APIRouter
from accord.websockets import WebSocket as WebSocket
from accord.websockets import WebSocketDisconnect as WebSocketDisconnect

__version__ = "0.1.0"

__all__ = [
    "APIRouter",
    "Accord",
    "BackgroundTasks",
    "Body",
    "Cookie",
    "Depends",
    "FastAPI",
    "File",
    "Form",
    "HTTPException",
    "Header",
    "Path",
    "Query",
    "Request",
    "Response",
    "Security",
    "UploadFile",
    "WebSocket",
    "WebSocketDisconnect",
    "WebSocketException",
    "__version__",
    "status",
]
