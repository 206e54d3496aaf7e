#pragma once
#include "../autograd/autograd.hpp"
