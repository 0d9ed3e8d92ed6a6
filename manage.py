#!/usr/bin/env python
from zhili.__main__ import main

if __name__ == "__main__":
    main()
