"""Counts the database queries of each request into an `X-Keguan-Queries` header, so the
benchmark's load process can report queries per page. On only with KEGUAN_BENCH=true."""

from django.db import connections


class QueryCount:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counting(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counting):
            response = self.get_response(request)
        response["X-Keguan-Queries"] = str(count[0])
        return response
