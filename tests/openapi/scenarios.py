"""The parity corpus: small apps written against ``fw`` (FastAPI or Accord).

Each scenario is ``(name, source)``; the source sees `PRELUDE`'s names and must define ``app``.
Hand-written scenarios cover one document feature each; the type matrix at the end sends
many annotation shapes through query parameters, bodies and responses.
"""

from __future__ import annotations

PRELUDE = """
import datetime, decimal, uuid, enum
from typing import Annotated, Any, Generic, Literal, Optional, TypeVar, Union
from pydantic import BaseModel, ConfigDict, Field, computed_field
import fw
app = fw.FastAPI()
"""

HAND: list[tuple[str, str]] = [
    # -- info and document-level settings --------------------------------------------
    ("empty", ""),
    ("root_get", "@app.get('/')\ndef root(): return {}"),
    ("title_version", "app = fw.FastAPI(title='Shop', version='2.1.0')\n@app.get('/')\ndef r(): pass"),
    ("summary_description", "app = fw.FastAPI(summary='S', description='# Hello\\nworld')"),
    ("terms", "app = fw.FastAPI(terms_of_service='https://example.com/terms')"),
    ("contact", "app = fw.FastAPI(contact={'name': 'A', 'url': 'https://a.example', 'email': 'a@example.com'})"),
    ("contact_extra", "app = fw.FastAPI(contact={'name': 'A', 'x-team': 'core'})"),
    ("license_url", "app = fw.FastAPI(license_info={'name': 'MIT', 'url': 'https://opensource.org/licenses/MIT'})"),
    ("license_identifier", "app = fw.FastAPI(license_info={'name': 'Apache 2.0', 'identifier': 'Apache-2.0'})"),
    ("openapi_tags", "app = fw.FastAPI(openapi_tags=[{'name': 'items', 'description': 'Items'}, {'name': 'users', 'externalDocs': {'url': 'https://x.example', 'description': 'd'}}])\n@app.get('/i', tags=['items'])\ndef i(): pass"),
    ("servers", "app = fw.FastAPI(servers=[{'url': 'https://api.example.com', 'description': 'prod'}, {'url': '/v1'}])"),
    ("servers_vars", "app = fw.FastAPI(servers=[{'url': 'https://{env}.example.com', 'variables': {'env': {'default': 'prod', 'enum': ['prod', 'dev']}}}])"),
    ("external_docs", "app = fw.FastAPI(openapi_external_docs={'url': 'https://docs.example.com', 'description': 'More'})"),
    ("openapi_url_custom", "app = fw.FastAPI(openapi_url='/api/schema.json')\n@app.get('/a')\ndef a(): pass"),
    ("root_path_app", "app = fw.FastAPI(root_path='/prefix')\n@app.get('/a')\ndef a(): pass"),
    # -- operation metadata ----------------------------------------------------------
    ("summary_op", "@app.get('/a', summary='Get A')\ndef a(): pass"),
    ("name_summary", "@app.get('/a', name='fetch_the_thing')\ndef a(): pass"),
    ("description_op", "@app.get('/a', description='Long text')\ndef a(): pass"),
    ("docstring", "@app.get('/a')\ndef a():\n    '''Does A.\n\n    In detail.\n    '''"),
    ("docstring_formfeed", "@app.get('/a')\ndef a():\n    '''Shown.\n    \f\n    Hidden.\n    '''"),
    ("response_description", "@app.get('/a', response_description='The A')\ndef a(): pass"),
    ("deprecated_op", "@app.get('/a', deprecated=True)\ndef a(): pass"),
    ("deprecated_router", "r = fw.APIRouter(deprecated=True)\n@r.get('/a')\ndef a(): pass\napp.include_router(r)"),
    ("deprecated_include", "r = fw.APIRouter()\n@r.get('/a')\ndef a(): pass\napp.include_router(r, deprecated=True)"),
    ("operation_id", "@app.get('/a', operation_id='getA')\ndef a(): pass"),
    ("tags_op", "@app.get('/a', tags=['x', 'y'])\ndef a(): pass"),
    ("tags_enum", "class T(str, enum.Enum):\n    a = 'alpha'\n@app.get('/a', tags=[T.a])\ndef a(): pass"),
    ("tags_router", "r = fw.APIRouter(prefix='/r', tags=['r'])\n@r.get('/a', tags=['own'])\ndef a(): pass\napp.include_router(r, tags=['inc'])"),
    ("include_in_schema_false", "@app.get('/a', include_in_schema=False)\ndef a(q: int): pass\n@app.get('/b')\ndef b(): pass"),
    ("include_router_hidden", "r = fw.APIRouter()\n@r.get('/a')\ndef a(q: int): pass\napp.include_router(r, include_in_schema=False)"),
    ("openapi_extra", "@app.post('/a', openapi_extra={'x-aperture': 'open', 'requestBody': {'content': {'application/x-yaml': {'schema': {'type': 'object'}}}, 'required': True}})\ndef a(): pass"),
    ("openapi_extra_merge", "@app.get('/a', openapi_extra={'parameters': [{'name': 'x', 'in': 'query'}], 'responses': {'200': {'description': 'Changed'}}})\ndef a(q: int): pass"),
    ("multi_methods", "@app.api_route('/a', methods=['GET', 'POST'])\ndef a(): pass"),
    ("multi_methods_inputs", "@app.api_route('/a', methods=['GET', 'PUT', 'POST'])\ndef a(q: int, b: Annotated[int, fw.Body()] = 0): pass"),
    ("same_path_two_ops", "@app.get('/a')\ndef ga(): pass\n@app.delete('/a')\ndef da(): pass"),
    ("all_verbs", "\n".join(f"@app.{m}('/{m}')\ndef f_{m}(): pass" for m in ("get", "put", "post", "delete", "options", "head", "patch", "trace"))),
    ("unique_id_fn", "def gen(route): return f'{route.tags[0]}-{route.name}'\napp = fw.FastAPI(generate_unique_id_function=gen)\n@app.get('/a', tags=['t'])\ndef a(): pass\nclass B(BaseModel):\n    x: int\n@app.post('/b', tags=['u'])\ndef b(x: B, y: B): pass"),
    ("unique_id_router", "def gen(route): return 'r_' + route.name\nr = fw.APIRouter(generate_unique_id_function=gen)\n@r.post('/a')\ndef a(x: int = fw.Body(), y: int = fw.Body()): pass\napp.include_router(r)"),
    ("unique_id_include", "def gen(route): return 'i_' + route.name\nr = fw.APIRouter()\n@r.get('/a', responses={404: {'model': dict}})\ndef a(): pass\napp.include_router(r, generate_unique_id_function=gen)"),
    ("path_format", "@app.get('/items/{item_id:int}/x/{rest:path}')\ndef a(item_id: int, rest: str): pass"),
    ("prefix_router", "r = fw.APIRouter(prefix='/v1')\n@r.get('/items/{i}')\ndef a(i: int): pass\napp.include_router(r, prefix='/api')"),
    ("nested_routers", "inner = fw.APIRouter(prefix='/in', tags=['in'])\n@inner.get('/x')\ndef x(): pass\nouter = fw.APIRouter(prefix='/out', tags=['out'])\nouter.include_router(inner)\napp.include_router(outer)"),
    # -- parameters ------------------------------------------------------------------
    ("path_param", "@app.get('/items/{item_id}')\ndef a(item_id: int): pass"),
    ("path_param_meta", "@app.get('/items/{item_id}')\ndef a(item_id: Annotated[int, fw.Path(title='The ID', ge=1, description='id')]): pass"),
    ("query_required", "@app.get('/a')\ndef a(q: str): pass"),
    ("query_default", "@app.get('/a')\ndef a(q: str = 'x', n: int = 3): pass"),
    ("query_optional", "@app.get('/a')\ndef a(q: Optional[str] = None): pass"),
    ("query_required_nullable", "@app.get('/a')\ndef a(q: Union[str, None]): pass"),
    ("query_alias", "@app.get('/a')\ndef a(q: Annotated[str, fw.Query(alias='item-query')]): pass"),
    ("query_validation_alias", "@app.get('/a')\ndef a(q: Annotated[str, fw.Query(validation_alias='vq')] = 'd'): pass"),
    ("query_constraints", "@app.get('/a')\ndef a(q: Annotated[str, fw.Query(min_length=3, max_length=50, pattern='^x')] = 'xyz', n: Annotated[float, fw.Query(gt=0, lt=10.5, multiple_of=0.5)] = 1): pass"),
    ("query_title_description", "@app.get('/a')\ndef a(q: Annotated[str, fw.Query(title='T', description='D')] = ''): pass"),
    ("query_deprecated", "@app.get('/a')\ndef a(q: Annotated[Optional[str], fw.Query(deprecated=True)] = None): pass"),
    ("query_hidden", "@app.get('/a')\ndef a(q: Annotated[str, fw.Query(include_in_schema=False)] = '', v: int = 1): pass"),
    ("query_list", "@app.get('/a')\ndef a(q: Annotated[list[str], fw.Query()] = []): pass"),
    ("query_list_required", "@app.get('/a')\ndef a(q: Annotated[list[int], fw.Query()]): pass"),
    ("query_list_optional", "@app.get('/a')\ndef a(q: Annotated[Optional[list[str]], fw.Query()] = None): pass"),
    ("query_examples", "@app.get('/a')\ndef a(q: Annotated[str, fw.Query(examples=['one', 'two'])] = ''): pass"),
    ("query_openapi_examples", "@app.get('/a')\ndef a(q: Annotated[str, fw.Query(openapi_examples={'n': {'summary': 'Normal', 'value': 'x'}, 'e': {'summary': 'Empty', 'description': 'd', 'value': ''}})] = ''): pass"),
    ("query_example_deprecated", "@app.get('/a')\ndef a(q: str = fw.Query('', example='ex')): pass"),
    ("query_enum", "class Color(str, enum.Enum):\n    red = 'red'\n    blue = 'blue'\n@app.get('/a')\ndef a(c: Color = Color.red): pass"),
    ("query_int_enum", "class Lvl(enum.IntEnum):\n    lo = 1\n    hi = 2\n@app.get('/a')\ndef a(l: Lvl): pass"),
    ("query_literal", "@app.get('/a')\ndef a(order: Literal['asc', 'desc'] = 'asc'): pass"),
    ("query_model", "class F(BaseModel):\n    limit: int = Field(100, gt=0, le=100)\n    offset: int = 0\n    tags: list[str] = []\n@app.get('/a')\ndef a(f: Annotated[F, fw.Query()]): pass"),
    ("query_model_forbid", "class F(BaseModel):\n    model_config = ConfigDict(extra='forbid')\n    q: Optional[str] = None\n@app.get('/a')\ndef a(f: Annotated[F, fw.Query()]): pass"),
    ("header_param", "@app.get('/a')\ndef a(user_agent: Annotated[Optional[str], fw.Header()] = None): pass"),
    ("header_no_convert", "@app.get('/a')\ndef a(strange_header: Annotated[Optional[str], fw.Header(convert_underscores=False)] = None): pass"),
    ("header_alias", "@app.get('/a')\ndef a(h: Annotated[str, fw.Header(alias='X-Token')]): pass"),
    ("header_list", "@app.get('/a')\ndef a(x_token: Annotated[Optional[list[str]], fw.Header()] = None): pass"),
    ("header_model", "class H(BaseModel):\n    host: str\n    x_tag: list[str] = []\n@app.get('/a')\ndef a(h: Annotated[H, fw.Header()]): pass"),
    ("header_model_no_convert", "class H(BaseModel):\n    x_tag: str = ''\n@app.get('/a')\ndef a(h: Annotated[H, fw.Header(convert_underscores=False)]): pass"),
    ("cookie_param", "@app.get('/a')\ndef a(session: Annotated[Optional[str], fw.Cookie()] = None): pass"),
    ("cookie_model", "class C(BaseModel):\n    session_id: str\n    tracker: Optional[str] = None\n@app.get('/a')\ndef a(c: Annotated[C, fw.Cookie()]): pass"),
    ("all_locations", "@app.put('/i/{i}')\ndef a(i: int, q: str, h: Annotated[str, fw.Header()], c: Annotated[str, fw.Cookie()]): pass"),
    ("dup_param_required_wins", "def d1(q: Optional[int] = None): return q\ndef d2(q: int): return q\n@app.get('/a')\ndef a(x=fw.Depends(d1), y=fw.Depends(d2)): pass"),
    ("param_no_annotation", "@app.get('/a')\ndef a(q=None, r='s'): pass"),
    ("special_params", "@app.get('/a')\ndef a(request: fw.Request, response: fw.Response, bg: fw.BackgroundTasks): pass"),
    # -- dependencies ----------------------------------------------------------------
    ("dep_params", "def common(q: Optional[str] = None, skip: int = 0, limit: int = 100): return {}\n@app.get('/a')\ndef a(c: dict = fw.Depends(common)): pass"),
    ("dep_class", "class P:\n    def __init__(self, q: str = '', n: int = 1): pass\n@app.get('/a')\ndef a(p: Annotated[P, fw.Depends()]): pass"),
    ("dep_nested", "def inner(x: int): return x\ndef outer(v=fw.Depends(inner), y: str = ''): return v\n@app.get('/a')\ndef a(o=fw.Depends(outer)): pass"),
    ("dep_shared", "def d(q: int): return q\ndef e(v=fw.Depends(d)): return v\n@app.get('/a')\ndef a(x=fw.Depends(d), y=fw.Depends(e)): pass"),
    ("dep_route_dependencies", "def verify(x_key: Annotated[str, fw.Header()]): pass\n@app.get('/a', dependencies=[fw.Depends(verify)])\ndef a(): pass"),
    ("dep_app_dependencies", "def verify(token: str): pass\napp = fw.FastAPI(dependencies=[fw.Depends(verify)])\n@app.get('/a')\ndef a(): pass"),
    ("dep_router_dependencies", "def verify(token: Annotated[str, fw.Cookie()]): pass\nr = fw.APIRouter(dependencies=[fw.Depends(verify)])\n@r.get('/a')\ndef a(): pass\napp.include_router(r)"),
    ("dep_body", "class M(BaseModel):\n    a: int\ndef d(m: M): return m\n@app.post('/a')\ndef a(x=fw.Depends(d)): pass"),
    ("dep_body_and_param_body", "class M(BaseModel):\n    a: int\nclass N(BaseModel):\n    b: str\ndef d(m: M): return m\n@app.post('/a')\ndef a(n: N, x=fw.Depends(d)): pass"),
    ("dep_yield", "def d(q: int = 0):\n    yield q\n@app.get('/a')\ndef a(x=fw.Depends(d)): pass"),
    # -- request bodies --------------------------------------------------------------
    ("body_model", "class Item(BaseModel):\n    name: str\n    price: float\n    tax: Optional[float] = None\n@app.post('/i')\ndef a(item: Item): pass"),
    ("body_optional", "class Item(BaseModel):\n    name: str\n@app.post('/i')\ndef a(item: Optional[Item] = None): pass"),
    ("body_embed", "class Item(BaseModel):\n    name: str\n@app.post('/i')\ndef a(item: Annotated[Item, fw.Body(embed=True)]): pass"),
    ("body_multiple", "class Item(BaseModel):\n    name: str\nclass User(BaseModel):\n    username: str\n@app.put('/i/{i}')\ndef a(i: int, item: Item, user: User, importance: Annotated[int, fw.Body(gt=0)]): pass"),
    ("body_multiple_optional", "class Item(BaseModel):\n    name: str\n@app.put('/i')\ndef a(item: Optional[Item] = None, note: Annotated[Optional[str], fw.Body()] = None): pass"),
    ("body_scalar", "@app.post('/i')\ndef a(v: Annotated[int, fw.Body()]): pass"),
    ("body_list", "class Item(BaseModel):\n    name: str\n@app.post('/i')\ndef a(items: list[Item]): pass"),
    ("body_dict", "@app.post('/i')\ndef a(weights: dict[int, float]): pass"),
    ("body_examples", "class Item(BaseModel):\n    name: str\n@app.post('/i')\ndef a(item: Annotated[Item, fw.Body(examples=[{'name': 'Foo'}])]): pass"),
    ("body_openapi_examples", "class Item(BaseModel):\n    name: str\n@app.post('/i')\ndef a(item: Annotated[Item, fw.Body(openapi_examples={'normal': {'summary': 'A normal example', 'value': {'name': 'Foo'}}, 'invalid': {'summary': 'Invalid', 'value': {'name': 1}}})]): pass"),
    ("body_example_deprecated", "class Item(BaseModel):\n    name: str\n@app.post('/i')\ndef a(item: Item = fw.Body(example={'name': 'x'})): pass"),
    ("body_media_type", "class Item(BaseModel):\n    name: str\n@app.post('/i')\ndef a(item: Annotated[Item, fw.Body(media_type='application/vnd.api+json')]): pass"),
    ("body_model_config_example", "class Item(BaseModel):\n    name: str\n    model_config = {'json_schema_extra': {'examples': [{'name': 'Foo'}]}}\n@app.post('/i')\ndef a(item: Item): pass"),
    ("body_field_examples", "class Item(BaseModel):\n    name: str = Field(examples=['Foo'], description='The name')\n    price: float = Field(gt=0, title='Price')\n@app.post('/i')\ndef a(item: Item): pass"),
    ("body_on_get", "class Item(BaseModel):\n    name: str\n@app.get('/i')\ndef a(item: Item): pass"),
    ("body_on_options", "class Item(BaseModel):\n    name: str\n@app.options('/i')\ndef a(item: Item): pass"),
    ("body_bytes", "@app.post('/i')\ndef a(data: Annotated[bytes, fw.Body()]): pass"),
    ("body_alias", "@app.post('/i')\ndef a(x: Annotated[int, fw.Body(alias='X-Val')], y: Annotated[int, fw.Body()]): pass"),
    # -- forms and files -------------------------------------------------------------
    ("form_fields", "@app.post('/login')\ndef a(username: Annotated[str, fw.Form()], password: Annotated[str, fw.Form()]): pass"),
    ("form_optional", "@app.post('/f')\ndef a(note: Annotated[Optional[str], fw.Form()] = None): pass"),
    ("form_model", "class F(BaseModel):\n    username: str\n    age: int = 0\n@app.post('/f')\ndef a(data: Annotated[F, fw.Form()]): pass"),
    ("file_bytes", "@app.post('/f')\ndef a(file: Annotated[bytes, fw.File()]): pass"),
    ("file_upload", "@app.post('/f')\ndef a(file: fw.UploadFile): pass"),
    ("file_optional", "@app.post('/f')\ndef a(file: Optional[fw.UploadFile] = None): pass"),
    ("file_list", "@app.post('/f')\ndef a(files: list[fw.UploadFile]): pass"),
    ("file_and_form", "@app.post('/f')\ndef a(file: Annotated[bytes, fw.File(description='A file')], token: Annotated[str, fw.Form()], up: fw.UploadFile = fw.File(description='Upload')): pass"),
    # -- responses -------------------------------------------------------------------
    ("response_model", "class Out(BaseModel):\n    id: int\n@app.get('/a', response_model=Out)\ndef a(): pass"),
    ("response_annotation", "class Out(BaseModel):\n    id: int\n@app.get('/a')\ndef a() -> Out: pass"),
    ("response_list", "class Out(BaseModel):\n    id: int\n@app.get('/a', response_model=list[Out])\ndef a(): pass"),
    ("response_dict", "@app.get('/a', response_model=dict[str, float])\ndef a(): pass"),
    ("response_none", "@app.get('/a', response_model=None)\ndef a() -> dict: pass"),
    ("response_status", "@app.post('/a', status_code=201)\ndef a(): pass"),
    ("response_status_204", "@app.delete('/a', status_code=204)\ndef a(): pass"),
    ("response_status_enum", "@app.post('/a', status_code=fw.status.HTTP_202_ACCEPTED)\ndef a(): pass"),
    ("response_html", "@app.get('/a', response_class=fw.responses.HTMLResponse)\ndef a(): pass"),
    ("response_plain", "@app.get('/a', response_class=fw.responses.PlainTextResponse)\ndef a(): pass"),
    ("response_redirect", "@app.get('/a', response_class=fw.responses.RedirectResponse)\ndef a(): pass"),
    ("response_redirect_status", "@app.get('/a', response_class=fw.responses.RedirectResponse, status_code=302)\ndef a(): pass"),
    ("response_plain_response", "@app.get('/a', response_class=fw.responses.Response)\ndef a(): pass"),
    ("response_default_class", "app = fw.FastAPI(default_response_class=fw.responses.HTMLResponse)\n@app.get('/a')\ndef a(): pass"),
    ("response_class_json_subclass", "class MyJSON(fw.responses.JSONResponse):\n    media_type = 'application/vnd.x+json'\n@app.get('/a', response_class=MyJSON)\ndef a() -> dict[str, int]: pass"),
    ("responses_model", "class Msg(BaseModel):\n    message: str\nclass Out(BaseModel):\n    id: int\n@app.get('/a', response_model=Out, responses={404: {'model': Msg, 'description': 'Not found'}})\ndef a(): pass"),
    ("responses_extra_media", "class Out(BaseModel):\n    id: int\n@app.get('/a', response_model=Out, responses={200: {'content': {'image/png': {}}, 'description': 'Png or json'}})\ndef a(): pass"),
    ("responses_model_and_example", "class Out(BaseModel):\n    id: int\n@app.get('/a', responses={200: {'model': Out, 'content': {'application/json': {'example': {'id': 1}}}}})\ndef a(): pass"),
    ("responses_ranges", "@app.get('/a', responses={'1XX': {}, '3XX': {}, '4XX': {'description': 'client'}, '5XX': {}, 'default': {'description': 'other'}})\ndef a(q: int): pass"),
    ("responses_default_key", "@app.get('/a', responses={'DEFAULT': {}, '4xx': {}})\ndef a(): pass"),
    ("responses_422_override", "class E(BaseModel):\n    detail: str\n@app.get('/a', responses={422: {'model': E}})\ndef a(q: int): pass"),
    ("responses_headers_links", "@app.get('/a', responses={201: {'description': 'Made', 'headers': {'X-Rate': {'description': 'r', 'schema': {'type': 'integer'}}}, 'links': {'self': {'operationId': 'a_a_get'}}}})\ndef a(): pass"),
    ("responses_unknown_code", "@app.get('/a', responses={299: {}})\ndef a(): pass"),
    ("responses_router_merge", "r = fw.APIRouter(responses={404: {'description': 'Missing'}})\n@r.get('/a', responses={403: {'description': 'Forbidden'}})\ndef a(): pass\napp.include_router(r, responses={418: {'description': 'Teapot'}})"),
    ("responses_app_level", "app = fw.FastAPI(responses={500: {'description': 'Boom'}})\n@app.get('/a')\ndef a(): pass"),
    ("responses_html_model", "class Msg(BaseModel):\n    m: str\n@app.get('/a', response_class=fw.responses.HTMLResponse, responses={404: {'model': Msg}})\ndef a(): pass"),
    ("response_model_exclude_irrelevant", "class Out(BaseModel):\n    id: int\n    secret: str\n@app.get('/a', response_model=Out, response_model_exclude={'secret'})\ndef a(): pass"),
    # -- models ----------------------------------------------------------------------
    ("nested_models", "class Image(BaseModel):\n    url: str\n    name: str\nclass Item(BaseModel):\n    name: str\n    images: Optional[list[Image]] = None\n    tags: set[str] = set()\n@app.post('/i')\ndef a(item: Item) -> Item: pass"),
    ("recursive_model", "class Node(BaseModel):\n    value: int\n    children: list['Node'] = []\nNode.model_rebuild()\n@app.post('/n')\ndef a(n: Node) -> Node: pass"),
    ("mutual_recursion", "class A(BaseModel):\n    b: Optional['B'] = None\nclass B(BaseModel):\n    a: Optional[A] = None\nA.model_rebuild()\n@app.post('/x')\ndef x(a: A) -> B: pass"),
    ("generic_model", "T = TypeVar('T')\nclass Page(BaseModel, Generic[T]):\n    items: list[T]\n    total: int\nclass User(BaseModel):\n    name: str\n@app.get('/u', response_model=Page[User])\ndef a(): pass\n@app.get('/n', response_model=Page[int])\ndef b(): pass"),
    ("discriminated_union", "class Cat(BaseModel):\n    kind: Literal['cat']\n    meows: int\nclass Dog(BaseModel):\n    kind: Literal['dog']\n    barks: float\nclass Owner(BaseModel):\n    pet: Union[Cat, Dog] = Field(discriminator='kind')\n@app.post('/o')\ndef a(o: Owner) -> Owner: pass"),
    ("discriminated_union_body", "class Cat(BaseModel):\n    kind: Literal['cat']\nclass Dog(BaseModel):\n    kind: Literal['dog']\n@app.post('/p')\ndef a(pet: Annotated[Union[Cat, Dog], Field(discriminator='kind')]): pass"),
    ("plain_union_response", "class A(BaseModel):\n    a: int\nclass B(BaseModel):\n    b: str\n@app.get('/u', response_model=Union[A, B])\ndef a(): pass"),
    ("optional_vs_nullable", "class M(BaseModel):\n    a: Optional[int] = None\n    b: Optional[int]\n    c: int | None = 5\n    d: Union[int, str]\n@app.post('/m')\ndef a(m: M) -> M: pass"),
    ("model_enum_field", "class Status(str, enum.Enum):\n    on = 'on'\n    off = 'off'\nclass M(BaseModel):\n    status: Status = Status.on\n    statuses: list[Status] = []\n@app.post('/m')\ndef a(m: M): pass"),
    ("enum_only_in_list_param", "class K(enum.Enum):\n    a = 'a'\n    b = 'b'\n@app.get('/k')\ndef a(k: Annotated[list[K], fw.Query()] = []): pass"),
    ("model_docstring", "class M(BaseModel):\n    '''A model.\n\n    With text.\n    \f\n    Private.\n    '''\n    x: int\n@app.post('/m')\ndef a(m: M): pass"),
    ("computed_field", "class M(BaseModel):\n    w: int\n    h: int\n    @computed_field\n    @property\n    def area(self) -> int:\n        return self.w * self.h\n@app.post('/m')\ndef a(m: M) -> M: pass"),
    ("separate_io_defaults", "class M(BaseModel):\n    name: str\n    note: Optional[str] = None\n@app.post('/m')\ndef a(m: M) -> M: pass"),
    ("separate_io_off", "app = fw.FastAPI(separate_input_output_schemas=False)\nclass M(BaseModel):\n    name: str\n    note: Optional[str] = None\n@app.post('/m')\ndef a(m: M) -> M: pass"),
    ("separate_io_off_computed", "app = fw.FastAPI(separate_input_output_schemas=False)\nclass M(BaseModel):\n    w: int = 1\n    @computed_field\n    @property\n    def d(self) -> int:\n        return 2 * self.w\n@app.post('/m')\ndef a(m: M) -> M: pass"),
    ("separate_io_off_nested_computed", "app = fw.FastAPI(separate_input_output_schemas=False)\nclass Inner(BaseModel):\n    a: int\n    @computed_field\n    @property\n    def double(self) -> int:\n        return 2 * self.a\nclass Outer(BaseModel):\n    inner: Inner\n    name: str = 'x'\nclass Wrap(BaseModel):\n    items: list[Optional[Outer]] = []\n@app.post('/o')\ndef o(body: Outer) -> Outer: pass\n@app.get('/w')\ndef w() -> Wrap: pass\n@app.put('/w')\ndef pw(w: Wrap): pass"),
    ("separate_io_off_recursive", "app = fw.FastAPI(separate_input_output_schemas=False)\nclass Node(BaseModel):\n    v: int = 0\n    children: list['Node'] = []\nNode.model_rebuild()\n@app.post('/n')\ndef n(node: Node) -> Node: pass"),
    ("field_metadata_without_marker", "@app.get('/q')\ndef q(n: Annotated[int, Field(gt=0, description='a number', title='Num')] = 1, tags: Annotated[list[str], Field(description='t')] = []): pass\n@app.get('/items/{item_id}')\ndef p(item_id: Annotated[int, Field(default_factory=lambda: 5, description='pid')]): pass\nclass M(BaseModel):\n    a: int\n@app.post('/m')\ndef m(body: Annotated[M, Field(description='the body', title='Payload')]): pass"),
    ("field_aliases", "class M(BaseModel):\n    item_name: str = Field(alias='itemName')\n    v: int = Field(0, validation_alias='val', serialization_alias='value')\n@app.post('/m')\ndef a(m: M) -> M: pass"),
    ("field_constraints", "class M(BaseModel):\n    a: Annotated[int, Field(ge=0, le=10)]\n    b: Annotated[str, Field(min_length=1, pattern='^[a-z]+$')]\n    c: Annotated[list[int], Field(min_length=1, max_length=3)]\n    d: decimal.Decimal = Field(max_digits=5, decimal_places=2, default=decimal.Decimal('1.5'))\n@app.post('/m')\ndef a(m: M) -> M: pass"),
    ("field_defaults", "class M(BaseModel):\n    a: int = 1\n    b: str = 'x'\n    c: list[int] = [1, 2]\n    d: Optional[str] = None\n    e: dict[str, int] = Field(default_factory=dict)\n    f: float = 1.5\n@app.post('/m')\ndef a(m: M): pass"),
    ("field_json_schema_extra", "class M(BaseModel):\n    a: int = Field(json_schema_extra={'x-unit': 'cm'})\n@app.post('/m')\ndef a(m: M): pass"),
    ("field_deprecated", "class M(BaseModel):\n    a: int = Field(0, deprecated=True)\n@app.post('/m')\ndef a(m: M): pass"),
    ("model_title_override", "class M(BaseModel):\n    model_config = ConfigDict(title='Custom Title')\n    a: int\n@app.post('/m')\ndef a(m: M): pass"),
    ("same_name_models", "class A:\n    class Item(BaseModel):\n        x: int\nclass B:\n    class Item(BaseModel):\n        y: str\n@app.post('/a')\ndef a(i: A.Item) -> B.Item: pass"),
    ("dataclass_body", "import dataclasses\n@dataclasses.dataclass\nclass D:\n    name: str\n    n: int = 0\n@app.post('/d')\ndef a(d: D) -> D: pass"),
    ("typeddict_response", "from typing_extensions import TypedDict\nclass TD(TypedDict):\n    a: int\n    b: str\n@app.get('/t')\ndef a() -> TD: pass"),
    ("bytes_in_model", "class M(BaseModel):\n    data: bytes\n@app.post('/m')\ndef a(m: M) -> M: pass"),
    ("bytes_base64", "class M(BaseModel):\n    model_config = ConfigDict(ser_json_bytes='base64', val_json_bytes='base64')\n    data: bytes\n@app.post('/m')\ndef a(m: M) -> M: pass"),
    ("any_and_object", "class M(BaseModel):\n    a: Any\n    b: object = None\n    c: dict = {}\n    d: list = []\n@app.post('/m')\ndef a(m: M): pass"),
    ("tuple_fields", "class M(BaseModel):\n    a: tuple[int, str]\n    b: tuple[int, ...]\n@app.post('/m')\ndef a(m: M) -> M: pass"),
    ("frozenset_field", "class M(BaseModel):\n    a: frozenset[int]\n@app.post('/m')\ndef a(m: M) -> M: pass"),
    ("model_inheritance", "class Base(BaseModel):\n    id: int\nclass Child(Base):\n    name: str\n@app.post('/c')\ndef a(c: Child) -> Base: pass"),
    ("model_in_dict_value", "class V(BaseModel):\n    x: int\n@app.get('/d', response_model=dict[str, list[V]])\ndef a(): pass"),
    ("extra_forbid_model", "class M(BaseModel):\n    model_config = ConfigDict(extra='forbid')\n    a: int\n@app.post('/m')\ndef a(m: M) -> M: pass"),
    ("webhooks", "class Sub(BaseModel):\n    user: str\n@app.webhooks.post('new-subscription')\ndef new_sub(body: Sub):\n    '''When a user subscribes.'''\n@app.get('/a')\ndef a(): pass"),
    ("webhooks_only", "class Ev(BaseModel):\n    id: int\n@app.webhooks.put('event', tags=['ev'], operation_id='evt')\ndef ev(e: Ev, x: Annotated[str, fw.Header()]) -> Ev: pass"),
    ("callbacks", "class Invoice(BaseModel):\n    id: str\nclass Event(BaseModel):\n    description: str\nclass Ack(BaseModel):\n    ok: bool\ncb = fw.APIRouter()\n@cb.post('{$callback_url}/invoices/{$request.body.id}', response_model=Ack)\ndef invoice_notification(body: Event): pass\n@app.post('/invoices', callbacks=cb.routes)\ndef create(invoice: Invoice, callback_url: Optional[str] = None): pass"),
    ("callbacks_router", "cb = fw.APIRouter()\n@cb.get('{$url}/ping')\ndef ping(): pass\nr = fw.APIRouter(callbacks=cb.routes)\n@r.get('/a')\ndef a(): pass\napp.include_router(r)"),
    # -- security --------------------------------------------------------------------
    ("security_api_key", "SecurityBase = fw.security.base.SecurityBase\nAPIKey, APIKeyIn = fw.openapi.models.APIKey, fw.openapi.models.APIKeyIn\nclass Key(SecurityBase):\n    def __init__(self):\n        self.model = APIKey(**{'in': APIKeyIn.header}, name='X-Key', description='key')\n        self.scheme_name = 'KeyAuth'\n    def __call__(self) -> str: return 'k'\nkey = Key()\n@app.get('/a')\ndef a(k: str = fw.Depends(key)): pass\n@app.get('/b', dependencies=[fw.Depends(key)])\ndef b(): pass"),
    ("security_oauth2_scopes", "SecurityBase = fw.security.base.SecurityBase\nm = fw.openapi.models\nOAuth2, OAuthFlows, OAuthFlowPassword = m.OAuth2, m.OAuthFlows, m.OAuthFlowPassword\nclass Bearer(SecurityBase):\n    def __init__(self):\n        self.model = OAuth2(flows=OAuthFlows(password=OAuthFlowPassword(tokenUrl='token', scopes={'me': 'Read me', 'items': 'Read items'})))\n        self.scheme_name = 'OAuth2PasswordBearer'\n    def __call__(self) -> str: return 't'\nscheme = Bearer()\ndef user(s: fw.security.SecurityScopes, t: str = fw.Depends(scheme)): return t\ndef active(u=fw.Security(user, scopes=['me'])): return u\n@app.get('/me')\ndef me(u=fw.Security(active, scopes=['items'])): pass\n@app.get('/open')\ndef op(u=fw.Depends(user)): pass"),
    ("security_two_schemes", "SecurityBase = fw.security.base.SecurityBase\nHTTPBase, HTTPBearer = fw.openapi.models.HTTPBase, fw.openapi.models.HTTPBearer\nclass Basic(SecurityBase):\n    def __init__(self):\n        self.model = HTTPBase(scheme='basic')\n        self.scheme_name = 'HTTPBasic'\n    def __call__(self): return 1\nclass Bear(SecurityBase):\n    def __init__(self):\n        self.model = HTTPBearer(bearerFormat='JWT')\n        self.scheme_name = 'HTTPBearer'\n    def __call__(self): return 2\nb1, b2 = Basic(), Bear()\n@app.get('/a')\ndef a(x=fw.Depends(b1), y=fw.Depends(b2)): pass"),
    ("security_openid", "SecurityBase = fw.security.base.SecurityBase\nOpenIdConnect = fw.openapi.models.OpenIdConnect\nclass OIDC(SecurityBase):\n    def __init__(self):\n        self.model = OpenIdConnect(openIdConnectUrl='https://id.example/.well-known')\n        self.scheme_name = 'OpenIdConnect'\n    def __call__(self): return 1\noidc = OIDC()\nr = fw.APIRouter(dependencies=[fw.Security(oidc, scopes=['openid'])])\n@r.get('/a')\ndef a(): pass\napp.include_router(r)"),
    # -- misc ------------------------------------------------------------------------
    ("duplicate_models_names_across_modes", "class Item(BaseModel):\n    a: int\n    b: Optional[str] = None\n@app.post('/x')\ndef x(i: Item) -> list[Item]: pass\n@app.get('/y')\ndef y() -> Item: pass"),
    ("many_routes", "\n".join(f"@app.get('/r{i}/{{x}}')\ndef r{i}(x: int, q: Optional[str] = None): pass" for i in range(12))),
    ("mounted_app_ignored", "sub = fw.FastAPI()\n@sub.get('/s')\ndef s(): pass\napp.mount('/sub', sub)\n@app.get('/a')\ndef a(): pass"),
    ("starlette_route_ignored", "from starlette.responses import PlainTextResponse\nasync def plain(request): return PlainTextResponse('x')\napp.add_route('/plain', plain)\n@app.get('/a')\ndef a(): pass"),
    ("websocket_ignored", "@app.websocket('/ws')\nasync def ws(websocket: fw.WebSocket): pass\n@app.get('/a')\ndef a(): pass"),
    ("async_endpoint", "class M(BaseModel):\n    a: int\n@app.post('/a')\nasync def a(m: M, q: int = 1) -> M: pass"),
    ("add_api_route", "def a(q: int): pass\napp.add_api_route('/a', a, methods=['POST'], summary='Via add')"),
    ("router_route_class", "r = fw.APIRouter(prefix='/p')\nr.add_api_route('/a', lambda: None, name='lam')\napp.include_router(r)"),
    ("datetime_params", "@app.get('/a')\ndef a(when: datetime.datetime, day: datetime.date = datetime.date(2020, 1, 2), dur: Optional[datetime.timedelta] = None, t: Optional[datetime.time] = None): pass"),
    ("uuid_path", "@app.get('/a/{u}')\ndef a(u: uuid.UUID): pass"),
    # -- more combinations ------------------------------------------------------------
    ("callbacks_with_plain_route", "from starlette.routing import Route\ncb = fw.APIRouter()\n@cb.post('{$url}/hook')\ndef hook(n: int): pass\nasync def plain(request): pass\n@app.post('/s', callbacks=[*cb.routes, Route('/x', plain)])\ndef s(): pass"),
    ("security_route_dependencies_scopes", "SecurityBase = fw.security.base.SecurityBase\nm = fw.openapi.models\nclass Bearer(SecurityBase):\n    def __init__(self):\n        self.model = m.OAuth2(flows=m.OAuthFlows(authorizationCode=m.OAuthFlowAuthorizationCode(authorizationUrl='a', tokenUrl='t', refreshUrl='r', scopes={'x': 'X'})), description='codes')\n        self.scheme_name = 'Code'\n    def __call__(self): return 't'\nb = Bearer()\n@app.get('/a', dependencies=[fw.Security(b, scopes=['x'])])\ndef a(t=fw.Security(b, scopes=['y'])): pass"),
    ("security_same_scheme_two_deps", "SecurityBase = fw.security.base.SecurityBase\nm = fw.openapi.models\nclass K(SecurityBase):\n    def __init__(self, name):\n        self.model = m.APIKey(**{'in': m.APIKeyIn.query}, name=name)\n        self.scheme_name = name\n    def __call__(self): return 1\nk1, k2 = K('k1'), K('k2')\ndef both(a=fw.Depends(k1), b=fw.Depends(k2)): pass\n@app.get('/a')\ndef a(x=fw.Depends(both), y=fw.Depends(k1)): pass"),
    ("response_by_alias_false", "class Out(BaseModel):\n    item_name: str = Field(alias='itemName')\n@app.get('/a', response_model=Out, response_model_by_alias=False)\ndef a(): pass"),
    ("body_embed_scalar", "@app.post('/a')\ndef a(n: Annotated[int, fw.Body(embed=True, title='Num')]): pass"),
    ("query_default_factory", "@app.get('/a')\ndef a(q: Annotated[list[str], fw.Query(default_factory=list)]): pass"),
    ("form_list", "@app.post('/f')\ndef a(tags: Annotated[list[str], fw.Form()], n: Annotated[int, fw.Form()] = 1): pass"),
    ("file_list_bytes", "@app.post('/f')\ndef a(files: Annotated[list[bytes], fw.File()]): pass"),
    ("router_path_param_prefix", "r = fw.APIRouter(prefix='/users/{user_id}')\n@r.get('/items/{item_id}')\ndef a(user_id: int, item_id: str): pass\napp.include_router(r)"),
    ("responses_str_key", "@app.get('/a', responses={'404': {'description': 'Missing'}, '2XX': {'description': 'ok range'}})\ndef a(): pass"),
    ("duplicate_operation_id", "@app.get('/a', operation_id='same')\ndef a(): pass\n@app.get('/b', operation_id='same')\ndef b(): pass"),
    ("openapi_extra_response_content", "@app.get('/a', openapi_extra={'responses': {'200': {'content': {'text/csv': {'schema': {'type': 'string'}}}}}, 'x-code-samples': [{'lang': 'sh'}]})\ndef a() -> list[int]: pass"),
    ("header_alias_underscore", "@app.get('/a')\ndef a(x_thing: Annotated[str, fw.Header(alias='x_thing')], y_thing: Annotated[str, fw.Header(deprecated=True)] = ''): pass"),
    ("callable_class_dependency", "class Checker:\n    def __init__(self, n): self.n = n\n    def __call__(self, q: str = '', limit: int = 10): return q\ncheck = Checker(3)\n@app.get('/a')\ndef a(v: Annotated[str, fw.Depends(check)]): pass"),
    ("query_list_alias", "@app.get('/a')\ndef a(q: Annotated[Optional[list[str]], fw.Query(alias='item-query', description='many')] = None): pass"),
    ("enum_path_param", "class Model(str, enum.Enum):\n    alexnet = 'alexnet'\n    resnet = 'resnet'\n@app.get('/models/{name}')\ndef a(name: Model): pass"),
    ("body_field_title", "class Item(BaseModel):\n    x: int\n@app.post('/a')\ndef a(item: Annotated[Item, fw.Body(title='The item', description='An item')], n: Annotated[int, fw.Body(title='N')]): pass"),
    ("partial_dependency", "import functools\ndef d(q: int, factor: int = 1): return q\n@app.get('/a')\ndef a(v=fw.Depends(functools.partial(d, factor=2))): pass"),
    ("response_model_and_status_code_responses", "class Out(BaseModel):\n    id: int\n@app.post('/a', status_code=201, response_model=Out, responses={201: {'description': 'Created!'}, 400: {'model': Out}})\ndef a(): pass"),
    ("generic_nested", "T = TypeVar('T')\nclass Box(BaseModel, Generic[T]):\n    content: T\nclass Item(BaseModel):\n    x: int\n@app.post('/b')\ndef b(box: Box[Item]) -> Box[list[Item]]: pass"),
    # -- streaming (JSON Lines and server-sent events) --------------------------------
    ("stream_jsonl_typed", "from collections.abc import Iterator\nclass Tick(BaseModel):\n    n: int\n@app.get('/t')\ndef t() -> Iterator[Tick]:\n    yield Tick(n=1)"),
    ("stream_jsonl_async_list", "from collections.abc import AsyncIterator\n@app.post('/t', status_code=201)\nasync def t(q: int) -> AsyncIterator[list[int]]:\n    yield [q]"),
    ("stream_jsonl_untyped", "@app.get('/t')\ndef t():\n    yield 1"),
    ("stream_sse_typed", "from collections.abc import AsyncIterator\nclass Ev(BaseModel):\n    id: int\n@app.get('/e', response_class=fw.sse.EventSourceResponse, responses={404: {'description': 'gone'}})\nasync def e() -> AsyncIterator[Ev]:\n    yield Ev(id=1)"),
    ("stream_sse_untyped", "@app.post('/e', response_class=fw.sse.EventSourceResponse)\ndef e(x: Annotated[int, fw.Body()]):\n    yield fw.sse.ServerSentEvent(data=x)"),
    ("stream_in_router", "from collections.abc import Iterator\nclass Tick(BaseModel):\n    n: int\nr = fw.APIRouter(prefix='/r')\n@r.get('/t')\ndef t() -> Iterator[Tick]:\n    yield Tick(n=1)\napp.include_router(r)"),
    ("stream_raw_response", "@app.get('/raw', response_class=fw.responses.StreamingResponse)\nasync def raw():\n    yield b'x'"),
    # -- the real security classes ----------------------------------------------------
    ("sec_http_basic", "sec = fw.security.HTTPBasic(realm='r', description='basic')\n@app.get('/a')\ndef a(c: Annotated[fw.security.HTTPBasicCredentials, fw.Depends(sec)]): pass"),
    ("sec_http_bearer_digest", "b = fw.security.HTTPBearer(bearerFormat='JWT', scheme_name='jwt', auto_error=False)\nd = fw.security.HTTPDigest()\n@app.get('/a')\ndef a(x=fw.Depends(b), y=fw.Depends(d)): pass"),
    ("sec_api_keys", "h = fw.security.APIKeyHeader(name='X-API-Key')\nq = fw.security.APIKeyQuery(name='key', description='q')\nc = fw.security.APIKeyCookie(name='sid', scheme_name='Cookie')\n@app.get('/a')\ndef a(x=fw.Depends(h), y=fw.Depends(q), z=fw.Depends(c)): pass"),
    ("sec_oauth2_password_scopes", "oauth = fw.security.OAuth2PasswordBearer(tokenUrl='token', scopes={'me': 'Me', 'items': 'Items'})\ndef current(s: fw.security.SecurityScopes, t: Annotated[str, fw.Depends(oauth)]): return t\ndef active(u: Annotated[str, fw.Security(current, scopes=['me'])]): return u\n@app.post('/token')\ndef token(form: Annotated[fw.security.OAuth2PasswordRequestForm, fw.Depends()]): pass\n@app.get('/users/me/items')\ndef items(u: Annotated[str, fw.Security(active, scopes=['items'])]): pass\n@app.get('/status')\ndef status(u: Annotated[str, fw.Depends(current)]): pass"),
    ("sec_oauth2_strict_form", "@app.post('/token')\ndef token(form: Annotated[fw.security.OAuth2PasswordRequestFormStrict, fw.Depends()]): pass"),
    ("sec_oauth2_code", "oauth = fw.security.OAuth2AuthorizationCodeBearer(authorizationUrl='auth', tokenUrl='tok', refreshUrl='ref', scopes={'r': 'Read'}, description='code')\n@app.get('/a', dependencies=[fw.Security(oauth, scopes=['r'])])\ndef a(): pass"),
    ("sec_openid", "oid = fw.security.OpenIdConnect(openIdConnectUrl='/.well-known/openid-configuration')\nr = fw.APIRouter(dependencies=[fw.Depends(oid)])\n@r.get('/a')\ndef a(): pass\napp.include_router(r, prefix='/p')"),
    ("sec_oauth2_flows", "flows = fw.openapi.models.OAuthFlows(clientCredentials={'tokenUrl': 't', 'scopes': {'s': 'S'}}, implicit={'authorizationUrl': 'a'})\no = fw.security.OAuth2(flows=flows, scheme_name='Custom')\n@app.get('/a')\ndef a(x=fw.Security(o, scopes=['s'])): pass"),
]


# -- the type matrix --------------------------------------------------------------------

TYPES = [
    "int",
    "float",
    "str",
    "bool",
    "bytes",
    "decimal.Decimal",
    "uuid.UUID",
    "datetime.datetime",
    "datetime.date",
    "list[int]",
    "set[str]",
    "Optional[int]",
    "Union[int, str]",
    "Literal['a', 'b']",
    "Annotated[int, Field(ge=1)]",
    "Annotated[str, Field(max_length=5)]",
    "dict[str, int]",
    "Optional[list[float]]",
]


def _matrix() -> list[tuple[str, str]]:
    scenarios = []
    for index, type_ in enumerate(TYPES):
        query_type = type_ if not type_.startswith(("dict", "Optional[list", "list", "set")) else (
            f"Annotated[{type_}, fw.Query()]"
        )
        if not type_.startswith("dict"):
            scenarios.append(
                (f"matrix_query_{index}", f"@app.get('/q')\ndef q(v: {query_type}): pass")
            )
        scenarios.append(
            (
                f"matrix_model_{index}",
                f"class M(BaseModel):\n    v: {type_}\n    w: Optional[{type_}] = None\n"
                f"@app.post('/m')\ndef m(m: M) -> M: pass",
            )
        )
        scenarios.append(
            (f"matrix_response_{index}", f"@app.get('/r', response_model={type_})\ndef r(): pass")
        )
    return scenarios


SCENARIOS: list[tuple[str, str]] = [
    (name, PRELUDE + source) for name, source in [*HAND, *_matrix()]
]
