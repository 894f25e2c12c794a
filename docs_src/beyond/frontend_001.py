from accord import Accord

app = Accord()


@app.get("/api/items")
def items() -> list[int]:
    return [1, 2]


app.frontend("/", directory="dist")  # the output of `npm run build`
