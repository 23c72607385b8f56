"""The OpenAPI 3.0 description of the catalog API (api.py), written by hand and kept true by
tests/portal/test_api.py, which calls every path and checks every field against it."""

from __future__ import annotations

from typing import Any

from gongkai.portal.api import DEFAULT_PER_PAGE, MAX_PER_PAGE
from gongkai.publications.constants import InterpretationForm, Kind, StatutoryCategory, Validity


def _s(
    type_: str, description: str = "", *, nullable: bool = False, **extra: Any
) -> dict[str, Any]:
    out: dict[str, Any] = {"type": type_, **extra}
    if description:
        out["description"] = description
    if nullable:
        out["nullable"] = True
    return out


def _date(description: str) -> dict[str, Any]:
    return _s("string", description, nullable=True, format="date")


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(properties: dict[str, Any], *, nullable: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "type": "object",
        "required": sorted(properties),
        "properties": properties,
        "additionalProperties": False,
    }
    if nullable:
        out["nullable"] = True
    return out


ORGANIZATION_REF = _obj({"id": _s("integer"), "name": _s("string", "机关名称")})
PUBLICATION_REF = _obj(
    {"id": _s("integer"), "title": _s("string"), "api_url": _s("string", format="uri")}
)
SUMMARY_PROPERTIES: dict[str, Any] = {
    "id": _s("integer"),
    "index_number": _s("string", "索引号"),
    "title": _s("string", "信息名称"),
    "kind": _s("string", "document 政府信息 / interpretation 政策解读", enum=list(Kind.values)),
    "organization": _ref("OrganizationRef"),
    "document_number": _s("string", "发文字号，可为空"),
    "written_on": _date("成文日期"),
    "published_on": _date("发布日期"),
    "topic": _s("string", "主题分类代码"),
    "topic_label": _s("string", "主题分类（一级\\二级）"),
    "genre": _s("string", "体裁分类代码"),
    "statutory_category": _s("string", "法定主动公开内容（条例第二十条、第二十一条）代码"),
    "normative_kind": _s("string", "rule 规章 / normative 行政规范性文件 / 空"),
    "validity": _s("string", "有效性（仅规章、规范性文件）", enum=["", *Validity.values]),
    "summary": _s("string", "内容概述"),
    "url": _s("string", "门户页面地址", format="uri"),
    "api_url": _s("string", format="uri"),
}
DETAIL_PROPERTIES: dict[str, Any] = {
    **SUMMARY_PROPERTIES,
    "keywords": _s("string", "关键词"),
    "source": _s("string", "信息来源"),
    "effective_on": _date("生效日期"),
    "expires_on": _date("有效期至"),
    "ceased_on": _date("废止或被修改之日"),
    "body_html": _s("string", "正文（已净化的 HTML）"),
    "attachments": _s(
        "array",
        "附件（已去除文档元数据的公开版本）",
        items=_obj(
            {
                "title": _s("string"),
                "file_type": _s("string"),
                "page_count": _s("integer", nullable=True),
                "url": _s("string", format="uri"),
            }
        ),
    ),
    "interpretations": _s("array", "本文件的政策解读", items=_ref("PublicationRef")),
    "interprets": {**_ref("PublicationRef"), "description": "解读的文件（仅政策解读）"},
    "interpretation": _obj(
        {
            "form": _s(
                "string",
                "解读形式：text 文字解读 / graphic 图解 / video 视频解读 / interview 在线访谈",
                enum=list(InterpretationForm.values),
            ),
            "media_url": _s("string", "视频或访谈地址（http/https），可为空"),
            "speaker": _s("string", "解读人；在线访谈为出席嘉宾，可为空"),
        },
        nullable=True,
    )
    | {"description": "解读形式和视频、访谈（仅政策解读，否则为 null）"},
    "amends": {**_ref("PublicationRef"), "description": "本文件修改的旧版本"},
    "amended_by": _s("array", "修改本文件的新版本（修改后的文件）", items=_ref("PublicationRef")),
    "current_version": {**_ref("PublicationRef"), "description": "已修改时，现行有效版本"},
    "repeals": _s("array", "本文件废止的文件", items=_ref("PublicationRef")),
    "repealed_by": _s("array", "废止本文件的文件", items=_ref("PublicationRef")),
}
# These references may be null.
NULLABLE_REFS = ("interprets", "amends", "current_version")

ERROR = _obj({"error": _s("string", "中文错误说明")})
WITHDRAWN = _obj(
    {
        "error": _s("string"),
        "withdrawn_on": _date("撤回日期"),
        "withdrawal_reason": _s("string", "撤回理由（公开）"),
    }
)


def _filter(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


def _json_response(description: str, schema: dict[str, Any]) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


RATE_LIMITED = _json_response(
    "请求过于频繁（按客户端地址每分钟限额），见 Retry-After", _ref("Error")
)


def document(server_url: str = "/api/v1") -> dict[str, Any]:
    detail = _obj(dict(DETAIL_PROPERTIES))
    for name in NULLABLE_REFS:
        detail["properties"][name] = {
            "allOf": [_ref("PublicationRef")],
            "nullable": True,
            "description": DETAIL_PROPERTIES[name]["description"],
        }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "政府信息公开目录接口",
            "version": "1.0.0",
            "description": "主动公开政府信息目录的只读接口：仅含已发布的信息，不含任何申请人信息。",
            "license": {"name": "EUPL-1.2"},
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/publications/": {
                "get": {
                    "operationId": "listPublications",
                    "summary": "已发布的政府信息列表，最新在前",
                    "parameters": [
                        _filter("organization", "发布机构 id", _s("integer")),
                        _filter(
                            "category",
                            "法定主动公开内容代码",
                            _s("string", enum=list(StatutoryCategory.values)),
                        ),
                        _filter("topic", "主题分类代码（一级分类包含其二级分类）", _s("string")),
                        _filter("year", "发布年份", _s("integer")),
                        _filter("validity", "有效性", _s("string", enum=list(Validity.values))),
                        _filter("kind", "类别", _s("string", enum=list(Kind.values))),
                        _filter("page", "页码，从 1 开始", _s("integer", minimum=1, default=1)),
                        _filter(
                            "per_page",
                            "每页条数",
                            _s(
                                "integer", minimum=1, maximum=MAX_PER_PAGE, default=DEFAULT_PER_PAGE
                            ),
                        ),
                    ],
                    "responses": {
                        "200": _json_response("一页结果", _ref("PublicationPage")),
                        "400": _json_response("参数无效", _ref("Error")),
                        "404": _json_response("页码超出范围", _ref("Error")),
                        "429": RATE_LIMITED,
                    },
                }
            },
            "/publications/{id}/": {
                "get": {
                    "operationId": "getPublication",
                    "summary": "一条已发布的政府信息，含正文、附件、解读和有效性",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": _s("integer")}
                    ],
                    "responses": {
                        "200": _json_response("政府信息", _ref("PublicationDetail")),
                        "404": _json_response("不存在或未发布", _ref("Error")),
                        "410": _json_response("已撤回，附撤回理由", _ref("Withdrawn")),
                        "429": RATE_LIMITED,
                    },
                }
            },
            "/organizations/": {
                "get": {
                    "operationId": "listOrganizations",
                    "summary": "负有政府信息公开义务的机关",
                    "responses": {
                        "200": _json_response("机关列表", _ref("OrganizationList")),
                        "429": RATE_LIMITED,
                    },
                }
            },
        },
        "components": {
            "schemas": {
                "OrganizationRef": ORGANIZATION_REF,
                "PublicationRef": PUBLICATION_REF,
                "PublicationSummary": _obj(SUMMARY_PROPERTIES),
                "PublicationDetail": detail,
                "PublicationPage": _obj(
                    {
                        "count": _s("integer"),
                        "page": _s("integer"),
                        "per_page": _s("integer"),
                        "num_pages": _s("integer"),
                        "next": _s("string", nullable=True, format="uri"),
                        "previous": _s("string", nullable=True, format="uri"),
                        "results": _s("array", items=_ref("PublicationSummary")),
                    }
                ),
                "OrganizationList": _obj(
                    {
                        "results": _s(
                            "array",
                            items=_obj(
                                {
                                    "id": _s("integer"),
                                    "name": _s("string"),
                                    "column_url": _s("string", format="uri"),
                                    "feed_url": _s("string", format="uri"),
                                }
                            ),
                        )
                    }
                ),
                "Error": ERROR,
                "Withdrawn": WITHDRAWN,
            }
        },
    }
